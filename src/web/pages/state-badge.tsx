/** A run's state as a coloured badge. */
export function StateBadge(props: { state: string }) {
  const kind = props.state === 'DONE' ? 'badge-ok' : props.state === 'FAILED' || props.state === 'TERMINATED' || props.state === 'NOT STARTED' ? 'badge-bad' : 'badge-warn';
  return <span class={`badge ${kind}`}>{props.state}</span>;
}
