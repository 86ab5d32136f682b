import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { register, rseBody, startApi } from '../helpers/api-client';

const docker = join(__dirname, '..', '..', 'docker');
const prometheusDir = join(docker, 'prometheus');
const readYaml = <T>(file: string): T => parse(readFileSync(file, 'utf8')) as T;

interface Rule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface Target {
  refId: string;
  expr: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: { name: string; type: string; query: string }[] };
  panels: Panel[];
}
interface PrometheusConfig {
  rule_files: string[];
  scrape_configs: {
    job_name: string;
    metrics_path?: string;
    static_configs: { targets: string[] }[];
  }[];
}
interface Compose {
  services: Record<string, { environment?: Record<string, unknown>; volumes?: string[] }>;
}

const rules = readYaml<RuleFile>(join(prometheusDir, 'alerts.yml')).groups.flatMap(
  (group) => group.rules,
);
const dashboard = JSON.parse(
  readFileSync(join(docker, 'grafana', 'bansos-ledger.json'), 'utf8'),
) as Dashboard;
const panelExprs = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })),
);

/** Words of PromQL that are not metric names: operators, modifiers, aggregations. */
const PROMQL_WORDS = new Set(
  'and or unless bool by without on ignoring group_left group_right offset inf nan sum min max avg count stddev stdvar topk bottomk quantile count_values group'.split(
    ' ',
  ),
);
const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;

/**
 * The metric names an expression selects: every identifier left once strings, label matchers,
 * ranges and grouping clauses are taken out, but for function names (followed by a parenthesis)
 * and PromQL's own words.
 */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(GROUPING, ' ');
  const names = [...bare.matchAll(/(?<![\w:.$])([A-Za-z_:][\w:]*)\b(?!\s*\()/g)].map((m) => m[1]);
  return [...new Set(names.filter((name) => !PROMQL_WORDS.has(name)))];
}

/** The label names an expression groups by, joins on or matches on. */
function labelsIn(expr: string): string[] {
  const grouped = [...expr.matchAll(GROUPING)].flatMap((m) => m[1].split(','));
  const matched = [...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) =>
    [...m[1].matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]),
  );
  return [...new Set([...grouped, ...matched].map((label) => label.trim()).filter(Boolean))];
}

/** Series Prometheus makes itself, and the labels it puts on every scraped series. */
const PROMETHEUS_OWN = { metrics: ['up'], labels: ['job', 'instance'] };

/** Every series name the app's /metrics serves (a histogram's _bucket, _sum, _count), with its labels. */
function seriesOf(text: string): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const [, family, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const names =
      type === 'histogram'
        ? [`${family}_bucket`, `${family}_sum`, `${family}_count`]
        : type === 'summary'
          ? [family, `${family}_sum`, `${family}_count`]
          : [family];
    for (const name of names) series.set(name, new Set());
  }
  for (const [, name, labels] of text.matchAll(/^([A-Za-z_:][\w:]*)\{([^}]*)\} /gm)) {
    for (const [, label] of labels.matchAll(/([A-Za-z_]\w*)="/g)) series.get(name)?.add(label);
  }
  return series;
}

describe('the operations kit against the app’s live /metrics', () => {
  let series: Map<string, Set<string>>;

  beforeAll(async () => {
    const api = await startApi();
    try {
      // A command, so that every labelled series has a sample to read its labels from.
      await register(api, rseBody());
      series = seriesOf((await api.http.get('/metrics').expect(200)).text);
    } finally {
      await api.stop();
    }
  });

  const everyExpr = [
    ...rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
    ...panelExprs.map(({ panel, expr }) => ({ where: `panel "${panel}"`, expr })),
  ];

  it('finds metric names in every expression', () => {
    expect(series.size).toBeGreaterThan(20);
    expect(metricsIn('histogram_quantile(0.99, sum by (le) (rate(a_bucket{x="y"}[5m])))')).toEqual([
      'a_bucket',
    ]);
    expect(everyExpr.filter(({ expr }) => metricsIn(expr).length === 0)).toEqual([]);
  });

  it('uses only metrics the service exports (or Prometheus’ own `up`)', () => {
    const unknown = everyExpr.flatMap(({ where, expr }) =>
      metricsIn(expr)
        .filter((name) => !series.has(name) && !PROMETHEUS_OWN.metrics.includes(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('groups and matches only on labels those metrics carry', () => {
    const unknown = everyExpr.flatMap(({ where, expr }) => {
      const carried = new Set(PROMETHEUS_OWN.labels);
      for (const name of metricsIn(expr)) {
        for (const label of series.get(name) ?? []) carried.add(label);
      }
      return labelsIn(expr)
        .filter((label) => !carried.has(label))
        .map((label) => `${where}: ${label}`);
    });
    expect(unknown).toEqual([]);
  });
});

describe('docker/prometheus/alerts.yml', () => {
  it.each(rules.map((rule) => [rule.alert ?? '(no name)', rule] as const))(
    '%s has a duration, a severity, a summary and a description with a runbook',
    (_name, rule) => {
      expect(rule.alert).toMatch(/^Bansos[A-Za-z0-9]+$/);
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary?.trim()).toBeTruthy();
      expect(rule.annotations?.description).toContain('Runbook:');
    },
  );

  it('names each alert once', () => {
    const names = rules.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([
    ['the scrape target down', 'up'],
    ['a store down', 'bansos_store_up'],
    ['read model lag', 'bansos_projection_lag_seconds'],
    ['a stopped read model', 'bansos_projection_events_processed_total'],
    ['the 5xx rate', 'http_requests_total'],
    ['append latency', 'bansos_event_store_append_duration_seconds_bucket'],
  ])('alerts on %s (%s)', (_what, metric) => {
    expect(rules.some((rule) => metricsIn(rule.expr).includes(metric))).toBe(true);
  });
});

describe('docker/grafana/bansos-ledger.json', () => {
  const { panels } = dashboard;

  it('is a dashboard of schema 39 or later with a uid and a Prometheus data source variable', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
  });

  it('queries ${datasource} in every panel and every target', () => {
    const datasource = { type: 'prometheus', uid: '${datasource}' };
    for (const panel of panels) {
      expect({ panel: panel.title, datasource: panel.datasource }).toEqual({
        panel: panel.title,
        datasource,
      });
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource).toEqual(datasource);
    }
  });

  it('gives each panel its own id and a place on the 24-column grid, overlapping none', () => {
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const { title, gridPos } of panels) {
      const { x, y, w, h } = gridPos;
      const valid =
        [x, y, w, h].every(Number.isInteger) && x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= 24;
      expect({ title, valid }).toEqual({ title, valid: true });
    }
    const overlaps = panels.flatMap((a, i) =>
      panels.slice(i + 1).flatMap((b) => {
        const [p, q] = [a.gridPos, b.gridPos];
        const apart = p.x + p.w <= q.x || q.x + q.w <= p.x || p.y + p.h <= q.y || q.y + q.h <= p.y;
        return apart ? [] : [`${a.title} / ${b.title}`];
      }),
    );
    expect(overlaps).toEqual([]);
  });

  it.each([
    ['request rate by route', /sum by \(route\) \(rate\(http_requests_total\[/],
    ['5xx by route', /http_requests_total\{status=~"5\.\."\}/],
    ['latency p50 by route', /histogram_quantile\(0\.5, sum by \(le, route\)/],
    ['latency p99 by route', /histogram_quantile\(0\.99, sum by \(le, route\)/],
    ['append latency', /bansos_event_store_append_duration_seconds_bucket/],
    ['lag per read model', /max by \(projection\) \(bansos_projection_lag_seconds\)/],
    ['read model status', /bansos_projection_events_processed_total\[10m\]/],
    ['memory', /process_resident_memory_bytes/],
    ['CPU', /rate\(process_cpu_seconds_total\[/],
    ['event-loop lag', /nodejs_eventloop_lag_p99_seconds/],
  ])('shows %s', (_what, pattern) => {
    expect(panelExprs.some(({ expr }) => pattern.test(expr))).toBe(true);
  });
});

describe('the kit wired into docker/docker-compose.yml', () => {
  const compose = readYaml<Compose>(join(docker, 'docker-compose.yml'));
  const prometheus = readYaml<PrometheusConfig>(join(prometheusDir, 'prometheus.yml'));

  it('scrapes the compose service `app` on the port it listens on, loading alerts.yml', () => {
    const job = prometheus.scrape_configs.find((config) => config.job_name === 'bansos-ledger');
    const port = compose.services.app.environment?.PORT;
    expect(job?.metrics_path).toBe('/metrics');
    expect(job?.static_configs.flatMap((config) => config.targets)).toEqual([`app:${port}`]);
    expect(prometheus.rule_files).toEqual(['alerts.yml']);
    expect(compose.services.prometheus.volumes).toEqual(
      expect.arrayContaining([
        './prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
      ]),
    );
  });

  it('gives Grafana the compose Prometheus as its data source, and the dashboard where its provider looks', () => {
    const provisioning = join(docker, 'grafana', 'provisioning');
    const { datasources } = readYaml<{ datasources: { type: string; url: string }[] }>(
      join(provisioning, 'datasources', 'prometheus.yml'),
    );
    expect(datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const { providers } = readYaml<{ providers: { options: { path: string } }[] }>(
      join(provisioning, 'dashboards', 'bansos-ledger.yml'),
    );
    expect(compose.services.grafana.volumes).toContain(
      `./grafana/bansos-ledger.json:${providers[0].options.path}/bansos-ledger.json:ro`,
    );
  });
});

const promtoolInstalled =
  spawnSync('promtool', ['--version'], { encoding: 'utf8' }).error === undefined;

if (promtoolInstalled) {
  describe('promtool', () => {
    const promtool = (args: string[]) => {
      const result = spawnSync('promtool', args, { cwd: prometheusDir, encoding: 'utf8' });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    };

    it('accepts the alert rules', () => {
      expect(promtool(['check', 'rules', 'alerts.yml'])).toMatchObject({ status: 0 });
    });

    it('accepts prometheus.yml and the rule files it loads', () => {
      expect(promtool(['check', 'config', 'prometheus.yml'])).toMatchObject({ status: 0 });
    });

    it('passes the alerts’ unit tests (alerts.test.yml)', () => {
      expect(promtool(['test', 'rules', 'alerts.test.yml'])).toMatchObject({ status: 0 });
    });

    it('parses every panel’s query', () => {
      // Each query as a recording rule; Grafana's $__rate_interval as a fixed range.
      const folder = mkdtempSync(join(tmpdir(), 'bansos-dashboard-'));
      const file = join(folder, 'panels.yml');
      const recorded = panelExprs.map(({ expr }, i) => ({
        record: `panel_${i}`,
        expr: expr.replaceAll('$__rate_interval', '5m'),
      }));
      // JSON is YAML, so promtool reads it as it is.
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'panels', rules: recorded }] }));
      try {
        expect(promtool(['check', 'rules', file])).toMatchObject({ status: 0 });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
} else {
  describe('promtool', () => {
    it.todo('skipped: promtool is not installed (apt-get install prometheus)');
  });
}
