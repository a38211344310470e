import { CountChart, DayChart, type DayPoint, type Series } from './charts.js';
import { SALES_SERIES, VERIFICATION_SERIES } from './services/charts.js';

/** The charts the dashboard pages show, each ready to drop into a page (data from services/charts.ts). */

export function SalesPerDayChart(props: { points: DayPoint[]; id?: string; title?: string }) {
  return <DayChart id={props.id ?? 'sales-chart'} title={props.title ?? 'Sales per day, last 30 days'} unit="sale" series={SALES_SERIES} points={props.points} />;
}

export function VerificationsPerDayChart(props: { points: DayPoint[]; id?: string; title?: string }) {
  return (
    <DayChart id={props.id ?? 'verifications-chart'} title={props.title ?? 'License verifications per day, last 30 days'} unit="verification" series={VERIFICATION_SERIES} points={props.points} />
  );
}

export function RunStatesChart(props: { items: Array<{ label: string; count: number; tone: Series['tone'] }>; id?: string }) {
  return <CountChart id={props.id ?? 'runs-chart'} title="Flow runs by state" unit="run" items={props.items} />;
}
