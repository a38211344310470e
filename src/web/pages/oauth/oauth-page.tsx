import type { ComponentChildren, VNode } from 'preact';
import type { FastifyReply } from 'fastify';
import { BasicPage, renderDocument } from '../../render.js';

/** Every OAuth page goes through this one shell, so the dashboard's look reaches them all. */
export function OAuthPage(props: { title: string; children: ComponentChildren }) {
  return <BasicPage title={props.title}>{props.children}</BasicPage>;
}

/**
 * Sends an OAuth page: never cached, never framed (the consent buttons must not be clickjacked).
 */
export function sendOAuthPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "frame-ancestors 'none'")
    .send(renderDocument(page));
}

/** Hidden inputs that carry the request's parameters to the next POST. */
export function HiddenFields(props: { values: Record<string, string> }) {
  return (
    <>
      {Object.entries(props.values).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}
