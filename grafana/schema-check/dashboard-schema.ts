// A dashboard JSON file, typed with the Grafana Foundation SDK's types of Grafana's dashboard schema
// (generated from Grafana's CUE "dashboard" kind and each panel plugin's schema). check.mjs compiles
// `<dashboard JSON> satisfies Dashboard` with tsc, so a wrong type, a misspelt or unknown field, a
// missing required field or a value outside an enum is a compile error at that spot of the JSON.
//
// Two adaptations, both because the SDK types describe what its builders produce, not JSON text:
// - Json<T>: string enums become their values ("dashboards", not DashboardLinkType.Dashboards), numeric
//   enums stay (a literal outside the enum is still an error), builder marker methods are dropped.
// - The SDK types queries as an opaque cog.Dataquery per data source plugin and has no PostgreSQL
//   query type: SqlQuery below is Grafana's SQL query model (public/app/features/plugins/sql/types.ts,
//   SQLQuery), PromQuery the SDK's prometheus.Dataquery.
// Panel options and the field config's `custom` are checked for known keys and types but may be
// partial: Grafana merges the panel plugin's defaults into them when it loads a panel.
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type * as common from "@grafana/grafana-foundation-sdk/common";
import type * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import type * as barchart from "@grafana/grafana-foundation-sdk/barchart";
import type * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import type * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import type * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import type * as histogram from "@grafana/grafana-foundation-sdk/histogram";
import type * as piechart from "@grafana/grafana-foundation-sdk/piechart";
import type * as stat from "@grafana/grafana-foundation-sdk/stat";
import type * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import type * as table from "@grafana/grafana-foundation-sdk/table";
import type * as text from "@grafana/grafana-foundation-sdk/text";
import type * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

type IsAny<T> = 0 extends 1 & T ? true : false;
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** The JSON form of an SDK type. */
export type Json<T> = IsAny<T> extends true ? any
    : T extends string ? (string extends T ? string : `${T}`)
    : T extends number | boolean | null | undefined ? T
    : T extends readonly (infer U)[] ? Json<U>[]
    : T extends (...args: any[]) => any ? never
    : T extends object ? Flat<{ [K in keyof T as T[K] extends (...args: any[]) => any ? never : K]: Json<T[K]> }>
    : T;

/** Json<T> with every field optional, at every depth: for what Grafana fills from defaults. */
export type JsonPartial<T> = IsAny<T> extends true ? any
    : T extends string ? (string extends T ? string : `${T}`)
    : T extends number | boolean | null | undefined ? T
    : T extends readonly (infer U)[] ? JsonPartial<U>[]
    : T extends (...args: any[]) => any ? never
    : T extends object ? Flat<{ [K in keyof T as T[K] extends (...args: any[]) => any ? never : K]?: JsonPartial<T[K]> }>
    : T;

type DataSourceRef<Type extends string> = { type: Type; uid?: string };

export type PromQuery = Flat<Omit<Json<prometheus.Dataquery>, "datasource"> & {
    datasource?: DataSourceRef<"prometheus">;
    rawSql?: never;
}>;

export type SqlQuery = Flat<Omit<Json<common.DataQuery>, "datasource"> & {
    datasource?: DataSourceRef<"grafana-postgresql-datasource" | "postgres">;
    format?: "time_series" | "table";
    rawSql: string;
    rawQuery?: boolean;
    editorMode?: "code" | "builder";
    dataset?: string;
    table?: string;
    sql?: Record<string, any>;
    alias?: string;
    expr?: never;
}>;

export type Query = PromQuery | SqlQuery;

type FieldConfigSource<Custom> = Flat<Omit<Json<dashboard.FieldConfigSource>, "defaults"> & {
    defaults: Flat<Omit<Json<dashboard.FieldConfig>, "custom"> & { custom?: JsonPartial<Custom> }>;
}>;

/** Panel plugin id → [its options, its field config's `custom`] (never: the plugin has none). */
type Plugins = {
    barchart: [barchart.Options, barchart.FieldConfig];
    bargauge: [bargauge.Options, never];
    gauge: [gauge.Options, never];
    heatmap: [heatmap.Options, heatmap.FieldConfig];
    histogram: [histogram.Options, histogram.FieldConfig];
    piechart: [piechart.Options, piechart.FieldConfig];
    stat: [stat.Options, never];
    "state-timeline": [statetimeline.Options, statetimeline.FieldConfig];
    table: [table.Options, table.FieldConfig];
    text: [text.Options, never];
    timeseries: [timeseries.Options, timeseries.FieldConfig];
};

type PanelOf<Type extends keyof Plugins> = Flat<Omit<Json<dashboard.Panel>, "type" | "options" | "fieldConfig" | "targets"> & {
    type: Type;
    options?: JsonPartial<Plugins[Type][0]>;
    fieldConfig?: FieldConfigSource<Plugins[Type][1]>;
    targets?: Query[];
}>;

export type Panel = { [Type in keyof Plugins]: PanelOf<Type> }[keyof Plugins];

export type RowPanel = Flat<Omit<Json<dashboard.RowPanel>, "panels"> & { panels: Panel[] }>;

export type AnnotationQuery = Flat<Omit<Json<dashboard.AnnotationQuery>, "target"> & {
    target?: Query | Json<dashboard.AnnotationTarget>;
}>;

export type Dashboard = Flat<Omit<Json<dashboard.Dashboard>, "panels" | "annotations"> & {
    panels?: (Panel | RowPanel)[];
    annotations: { list?: AnnotationQuery[] };
}>;
