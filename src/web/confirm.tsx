import type { ComponentChildren } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { Csrf, PageHeader } from './components.js';
import { formOf, list, text, type FormBody } from './form.js';
import { Layout, type AreaId } from './layout.js';
import type { Viewer } from './page-auth.js';
import { sendPage } from './render.js';

/**
 * Confirmation before a destructive or irreversible action, with or without JavaScript. The
 * action's button carries `data-confirm` (the consequence, in words): app.js opens a dialog and,
 * on "yes", submits the form with `confirmed=yes`. Without script the form arrives unconfirmed:
 * the POST answers 303 to a GET of the same path, a confirmation page naming what will stop
 * working, whose form posts again with `confirmed=yes`.
 */
export const CONFIRMED_FIELD = 'confirmed';

export function isConfirmed(form: FormBody): boolean {
  return text(form, CONFIRMED_FIELD) === 'yes';
}

/**
 * At the top of a destructive POST: unconfirmed, it redirects to the confirmation page (the GET
 * of the same path) with the form's choices (never secrets) in the query; confirmed, null.
 */
export function askFirst(request: FastifyRequest, reply: FastifyReply, keep: string[] = []): FastifyReply | null {
  const form = formOf(request.body);
  if (isConfirmed(form)) return null;
  const url = new URL(request.url, 'http://dashboard');
  const query = new URLSearchParams();
  for (const name of keep) for (const value of list(form, name)) query.append(name, value);
  const search = query.toString();
  return reply.redirect(url.pathname + (search ? `?${search}` : ''), 303);
}

export interface Confirmation {
  title: string;
  /** What will stop working, in words ("3 live access tokens will stop working at once."). */
  consequence: string;
  button: string;
  cancelHref: string;
  /** Choices carried to the POST (grace periods, return paths): never secrets. */
  fields?: Record<string, string | string[]>;
  active?: AreaId;
  details?: ComponentChildren;
}

export function ConfirmPage(props: Confirmation & { viewer: Viewer; action: string }) {
  return (
    <Layout title={props.title} viewer={props.viewer} active={props.active}>
      <PageHeader title={props.title} back={{ href: props.cancelHref, label: 'Back' }} />
      <div class="panel panel-narrow">
        <p class="alert alert-warning" id="confirm-consequence">
          {props.consequence}
        </p>
        {props.details}
        <div class="actions">
          <form method="post" action={props.action} aria-label={props.title}>
            <Csrf token={props.viewer.csrf} />
            <input type="hidden" name={CONFIRMED_FIELD} value="yes" />
            {Object.entries(props.fields ?? {}).flatMap(([name, value]) =>
              (Array.isArray(value) ? value : [value]).map((v, i) => <input type="hidden" name={name} value={v} key={`${name}-${i}`} />),
            )}
            <button type="submit" class="button button-danger" aria-describedby="confirm-consequence">
              {props.button}
            </button>
          </form>
          <a class="button button-secondary" href={props.cancelHref}>
            Cancel
          </a>
        </div>
      </div>
    </Layout>
  );
}

/** Renders the confirmation page of the current path. */
export function sendConfirmation(request: FastifyRequest, reply: FastifyReply, confirmation: Confirmation): FastifyReply {
  const action = new URL(request.url, 'http://dashboard').pathname;
  return sendPage(reply, h(ConfirmPage, { ...confirmation, viewer: request.viewer!, action }));
}

/** A query value of the confirmation page, limited to the allowed choices. */
export function queryChoice(request: FastifyRequest, name: string, allowed: readonly string[], fallback: string): string {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' && allowed.includes(value) ? value : fallback;
}

/** Every value of a repeated query parameter, limited to the allowed ones. */
export function queryList(request: FastifyRequest, name: string, allowed: readonly string[]): string[] {
  const raw = (request.query as Record<string, unknown>)[name];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.filter((v): v is string => typeof v === 'string' && allowed.includes(v));
}

/** A button that asks first: the POST form of a destructive action. */
export function DangerForm(props: {
  action: string;
  csrf: string;
  label: string;
  button: string;
  consequence: string;
  class?: string;
  buttonClass?: string;
  hidden?: Record<string, string>;
  children?: ComponentChildren;
}) {
  return (
    <form method="post" action={props.action} class={props.class} aria-label={props.label}>
      <Csrf token={props.csrf} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} key={name} />
      ))}
      {props.children}
      <button type="submit" class={props.buttonClass ?? 'button button-danger button-small'} data-confirm={props.consequence}>
        {props.button}
      </button>
    </form>
  );
}

/** "1 live access token" / "3 live access tokens". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
