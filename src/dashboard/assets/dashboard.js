// @ts-check
/* global document, window, sessionStorage, fetch, HTMLInputElement, URLSearchParams */
/**
 * The programme dashboard: reads the query API with a viewer token kept for this browser session
 * only, and redraws every 30 seconds. No build step: plain DOM and SVG. Its types come from the
 * OpenAPI document (client/src/schema.d.ts); src/dashboard/assets/tsconfig.json checks them.
 */

/** @typedef {import('../../../client/src/schema').paths} Paths */
/** @typedef {import('../../../client/src/schema').components['schemas']['Programme']} Programme */
/** @typedef {import('../../../client/src/schema').components['schemas']['QuotaProgress']} QuotaProgress */
/** @typedef {import('../../../client/src/schema').components['schemas']['MonitoringOutcomes']} MonitoringOutcomes */
/** @typedef {import('../../../client/src/schema').components['schemas']['HealthReport']} Health */
/** @typedef {QuotaProgress['kinds'][number]['kind']} AidKind */
/** @typedef {keyof MonitoringOutcomes['byStatus']} OutcomeStatus */
/** @typedef {'/api/v1/programme' | '/api/v1/quota-progress' | '/api/v1/monitoring/outcomes' | '/health'} ReadPath */
/**
 * What a route the dashboard reads answers with 200, as the OpenAPI document describes it.
 * @template {ReadPath} P
 * @typedef {Paths[P]['get'] extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never} Answer
 */
/**
 * Everything one refresh read.
 * @typedef {object} Figures
 * @property {QuotaProgress} all every year added up
 * @property {MonitoringOutcomes} outcomes
 * @property {Health} health
 * @property {number[]} years the defined years, oldest first
 * @property {QuotaProgress[]} reports one per year, in the order of `years`
 * @property {Date} at
 */

const TOKEN_KEY = 'bansos-dashboard-token';
const LANGUAGE_KEY = 'bansos-dashboard-language';
const REFRESH_MS = 30_000;
const SVG = 'http://www.w3.org/2000/svg';

const TEXT = {
  id: {
    locale: 'id-ID',
    agency: 'Dinas Sosial Provinsi Kalimantan Timur',
    title: 'Bantuan Pemberdayaan Ekonomi',
    otherLanguage: 'English',
    signOut: 'Keluar',
    tokenLabel: 'Token pembaca (viewer)',
    signIn: 'Tampilkan',
    tokenHint: 'Token disimpan di peramban hanya selama sesi ini, lalu dilupakan.',
    loading: 'Memuat data…',
    refused: 'Token ditolak: masukkan token dengan peran viewer.',
    notReady: 'Data sedang diperbarui; dicoba lagi sebentar lagi.',
    failed: 'Layanan tidak menjawab; dicoba lagi sebentar lagi.',
    totalsTitle: 'Capaian program',
    RSE: 'Wanita RSE',
    KUBE: 'KUBe',
    of: 'dari',
    targetLine: (/** @type {string} */ years) => `target ${years}`,
    rupiahTitle: 'Bantuan tersalurkan',
    chartTitle: 'Alokasi dan penyaluran per kabupaten/kota',
    allocated: 'Alokasi',
    disbursed: 'Tersalurkan',
    yearSummary: (
      /** @type {string} */ disbursed,
      /** @type {string} */ target,
      /** @type {number | null} */ year,
    ) => `${disbursed} tersalurkan dari target ${target} tahun ${year}`,
    rseNote: (/** @type {string} */ target) =>
      `Bantuan RSE tidak dialokasikan per kabupaten/kota: hanya target tahunan ${target} yang berlaku.`,
    kubeNote: 'KUBe dialokasikan per kabupaten/kota setiap tahun.',
    outcomesTitle: 'Hasil pemantauan usaha',
    GROWING: 'Berkembang',
    STABLE: 'Stabil',
    STRUGGLING: 'Kesulitan',
    CLOSED: 'Tutup',
    NOT_MONITORED: 'Belum dipantau',
    workers: (/** @type {string} */ workers, /** @type {string} */ poor) =>
      `${workers} pekerja direkrut, ${poor} di antaranya dari rumah tangga miskin.`,
    challengesTitle: 'Kendala yang dilaporkan',
    LIMITED_RESOURCES: 'Keterbatasan sumber daya',
    MARKET_COMPETITION: 'Persaingan pasar',
    MOTIVATION: 'Motivasi',
    OTHER: 'Lainnya',
    lagTitle: 'Kemutakhiran data',
    projection: 'Model baca',
    status: 'Status',
    lagEvents: 'Tertinggal',
    lagSummary: (/** @type {number} */ events, /** @type {string} */ seconds) =>
      events === 0
        ? 'Semua model baca sudah memuat peristiwa terakhir.'
        : `Model baca paling lambat tertinggal ${events} peristiwa (${seconds} detik).`,
    active: 'aktif',
    building: 'dibangun',
    stopped: 'berhenti',
    retrying: 'mencoba ulang',
    events: (/** @type {string} */ count) => `${count} peristiwa`,
    updated: (/** @type {string} */ time) => `Diperbarui pukul ${time}`,
  },
  en: {
    locale: 'en-US',
    agency: 'Social Affairs Office, Province of East Kalimantan',
    title: 'Economic Empowerment Aid',
    otherLanguage: 'Bahasa Indonesia',
    signOut: 'Sign out',
    tokenLabel: 'Viewer token',
    signIn: 'Show',
    tokenHint: 'The token is kept in this browser for this session only, then forgotten.',
    loading: 'Loading…',
    refused: 'Token refused: enter a token with the viewer role.',
    notReady: 'The figures are being brought up to date; trying again shortly.',
    failed: 'The service does not answer; trying again shortly.',
    totalsTitle: 'Programme progress',
    RSE: 'RSE women',
    KUBE: 'KUBe',
    of: 'of',
    targetLine: (/** @type {string} */ years) => `target ${years}`,
    rupiahTitle: 'Aid disbursed',
    chartTitle: 'Allocated and disbursed per regency/city',
    allocated: 'Allocated',
    disbursed: 'Disbursed',
    yearSummary: (
      /** @type {string} */ disbursed,
      /** @type {string} */ target,
      /** @type {number | null} */ year,
    ) => `${disbursed} disbursed of the ${year} target of ${target}`,
    rseNote: (/** @type {string} */ target) =>
      `RSE aid is not allocated per regency/city: only the yearly target of ${target} applies.`,
    kubeNote: 'KUBe are allocated per regency/city every year.',
    outcomesTitle: 'Business monitoring outcomes',
    GROWING: 'Growing',
    STABLE: 'Stable',
    STRUGGLING: 'Struggling',
    CLOSED: 'Closed',
    NOT_MONITORED: 'Not yet monitored',
    workers: (/** @type {string} */ workers, /** @type {string} */ poor) =>
      `${workers} workers hired, ${poor} of them from poor households.`,
    challengesTitle: 'Challenges reported',
    LIMITED_RESOURCES: 'Limited resources',
    MARKET_COMPETITION: 'Market competition',
    MOTIVATION: 'Motivation',
    OTHER: 'Other',
    lagTitle: 'Data freshness',
    projection: 'Read model',
    status: 'Status',
    lagEvents: 'Behind by',
    lagSummary: (/** @type {number} */ events, /** @type {string} */ seconds) =>
      events === 0
        ? 'Every read model has applied the latest event.'
        : `The slowest read model is ${events} events (${seconds} s) behind.`,
    active: 'active',
    building: 'building',
    stopped: 'stopped',
    retrying: 'retrying',
    events: (/** @type {string} */ count) => `${count} events`,
    updated: (/** @type {string} */ time) => `Updated at ${time}`,
  },
};

/** @typedef {typeof TEXT.id} Phrases */
/** @typedef {keyof typeof TEXT} Language */

/** @type {AidKind[]} */
const KINDS = ['RSE', 'KUBE'];
/** @type {OutcomeStatus[]} */
const STATUSES = ['GROWING', 'STABLE', 'STRUGGLING', 'CLOSED', 'NOT_MONITORED'];

const view = {
  /** @type {Language} */
  language: sessionStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'id',
  /** @type {AidKind} */
  kind: 'RSE',
  /**
   * The year shown in the chart: the first defined year until the user picks another.
   * @type {number | null}
   */
  year: null,
  /**
   * The last figures read, or null before the first read.
   * @type {Figures | null}
   */
  figures: null,
  /** @type {number | undefined} */
  timer: undefined,
};

/** @param {string} id */
const byId = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}`);
  return element;
};

/** The sign-in form's token field. */
function tokenField() {
  const field = byId('token');
  if (!(field instanceof HTMLInputElement)) throw new Error('#token is not an input');
  return field;
}

/** @returns {Phrases} */
const phrases = () => TEXT[view.language];

/**
 * @template {keyof Phrases} K
 * @param {K} key
 * @returns {Phrases[K]}
 */
const text = (key) => phrases()[key];

/**
 * The phrase a name from the page or from the API stands for (a `data-text` attribute, a status,
 * a challenge), or undefined when there is none.
 * @param {string | null | undefined} key
 * @returns {string | undefined}
 */
function phrase(key) {
  const value = key ? new Map(Object.entries(phrases())).get(key) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** @param {number} value */
const number = (value) => new Intl.NumberFormat(text('locale')).format(value);
/** @param {number} value */
const rupiah = (value) => `Rp${number(value)}`;

/**
 * An element with attributes and children (strings become text, never markup).
 * @param {string} tag
 * @param {Record<string, string>} attributes
 * @param {(Node | string)[]} children
 */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 */
function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  return element;
}

/**
 * A horizontal bar chart row: one bar per value, as a share of `max`.
 * @param {{ value: number, kind: string }[]} values
 * @param {number} max
 */
function bars(values, max) {
  const chart = svg('svg', {
    class: 'bar',
    viewBox: `0 0 100 ${values.length * 6}`,
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
  });
  values.forEach(({ value, kind }, index) => {
    chart.append(svg('rect', { class: 'track', x: 0, y: index * 6, width: 100, height: 5 }));
    const width = max > 0 ? (100 * value) / max : 0;
    chart.append(svg('rect', { class: kind, x: 0, y: index * 6, width, height: 5 }));
  });
  return chart;
}

class Refused extends Error {}
class NotReady extends Error {}

/**
 * @template {ReadPath} P
 * @param {P} path
 * @param {string} [token]
 * @param {{ year: number }} [query]
 * @returns {Promise<Answer<P>>}
 */
async function read(path, token, query) {
  const url = query ? `${path}?${new URLSearchParams({ year: String(query.year) })}` : path;
  /** @type {Record<string, string>} */
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const response = await fetch(url, { headers });
  if (response.status === 401 || response.status === 403) throw new Refused();
  if (response.status === 503) throw new NotReady();
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

async function load() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showSignIn();
  window.clearTimeout(view.timer);
  if (!view.figures) showMessage(text('loading'));
  try {
    // The years are data: an admin defines new ones through the API.
    const programme = await read('/api/v1/programme', token);
    const years = programme.years.map((defined) => defined.year);
    const [all, outcomes, health, ...reports] = await Promise.all([
      read('/api/v1/quota-progress', token),
      read('/api/v1/monitoring/outcomes', token),
      read('/health'),
      ...years.map((year) => read('/api/v1/quota-progress', token, { year })),
    ]);
    if (view.year === null || !years.includes(view.year)) view.year = years[0] ?? null;
    view.figures = { all, outcomes, health, years, reports, at: new Date() };
    showMessage(null);
    render();
  } catch (error) {
    if (error instanceof Refused) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn();
      return showMessage(text('refused'));
    }
    showMessage(text(error instanceof NotReady ? 'notReady' : 'failed'));
  }
  view.timer = window.setTimeout(load, REFRESH_MS);
}

function showSignIn() {
  window.clearTimeout(view.timer);
  view.figures = null;
  byId('report').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in').hidden = false;
  tokenField().focus();
}

/** @param {string | null} message */
function showMessage(message) {
  byId('message').hidden = message === null;
  byId('message').textContent = message ?? '';
}

function render() {
  document.documentElement.lang = view.language;
  document.querySelectorAll('[data-text]').forEach((element) => {
    element.textContent = phrase(element.getAttribute('data-text')) ?? '';
  });
  byId('language').textContent = text('otherLanguage');
  byId('language').lang = view.language === 'id' ? 'en' : 'id';
  const { figures } = view;
  if (!figures) return;
  byId('sign-in').hidden = true;
  byId('sign-out').hidden = false;
  byId('report').hidden = false;
  renderTotals(figures);
  renderChart(figures);
  renderOutcomes(figures);
  renderLag(figures);
  byId('updated').textContent = text('updated')(figures.at.toLocaleTimeString(text('locale')));
}

/** @param {Figures} figures */
function renderTotals(figures) {
  const { years } = figures;
  const span = years.length === 0 ? '' : `${years[0]}–${years[years.length - 1]}`;
  for (const progress of figures.all.kinds) {
    const share = progress.target > 0 ? (100 * progress.disbursed) / progress.target : 0;
    byId(`total-${progress.kind.toLowerCase()}`).replaceChildren(
      el('h3', {}, text(progress.kind)),
      el(
        'p',
        { class: 'figure' },
        el('span', { class: 'count' }, number(progress.disbursed)),
        ` ${text('of')} `,
        el('span', { class: 'target' }, number(progress.target)),
      ),
      bars([{ value: progress.disbursed, kind: 'disbursed' }], progress.target),
      el('p', { class: 'hint' }, `${number(Math.round(share))}% · ${text('targetLine')(span)}`),
    );
  }
  const [rse, kube] = figures.all.kinds;
  byId('total-rupiah').replaceChildren(
    el('h3', {}, text('rupiahTitle')),
    el(
      'p',
      { class: 'figure rupiah' },
      rupiah(rse.valueDisbursedRupiah + kube.valueDisbursedRupiah),
    ),
    el(
      'p',
      { class: 'hint' },
      `${text('RSE')} ${rupiah(rse.valueDisbursedRupiah)} · ${text('KUBE')} ${rupiah(kube.valueDisbursedRupiah)}`,
    ),
  );
}

/**
 * Buttons choosing one of `options`, the `current` one pressed.
 * @template T
 * @param {string} container
 * @param {{ value: T, label: string }[]} options
 * @param {T | null} current
 * @param {(value: T) => void} choose
 */
function choice(container, options, current, choose) {
  byId(container).replaceChildren(
    ...options.map(({ value, label }) => {
      const button = el(
        'button',
        { type: 'button', 'aria-pressed': String(value === current) },
        label,
      );
      button.addEventListener('click', () => {
        choose(value);
        render();
      });
      return button;
    }),
  );
}

/** @param {Figures} figures */
function renderChoices(figures) {
  choice(
    'kind-choice',
    KINDS.map((kind) => ({ value: kind, label: text(kind) })),
    view.kind,
    (kind) => (view.kind = kind),
  );
  choice(
    'year-choice',
    figures.years.map((year) => ({ value: year, label: String(year) })),
    view.year,
    (year) => (view.year = year),
  );
}

/** @param {Figures} figures */
function renderChart(figures) {
  renderChoices(figures);
  const report = view.year === null ? undefined : figures.reports[figures.years.indexOf(view.year)];
  const progress = report?.kinds.find((candidate) => candidate.kind === view.kind);
  if (!progress) return byId('regencies').replaceChildren();
  const max = Math.max(
    1,
    ...progress.regencies.map((regency) => Math.max(regency.allocated ?? 0, regency.disbursed)),
  );
  byId('regencies').replaceChildren(
    ...progress.regencies.map((regency) => {
      const allocated =
        regency.allocated === null ? [] : [{ value: regency.allocated, kind: 'allocated' }];
      return el(
        'li',
        { class: 'regency', 'data-code': regency.code },
        el('span', { class: 'name' }, regency.name),
        bars([...allocated, { value: regency.disbursed, kind: 'disbursed' }], max),
        el(
          'span',
          { class: 'numbers' },
          el('strong', {}, number(regency.disbursed)),
          regency.allocated === null ? '' : ` / ${number(regency.allocated)}`,
        ),
      );
    }),
  );
  byId('chart-summary').textContent = text('yearSummary')(
    number(progress.disbursed),
    number(progress.target),
    view.year,
  );
  byId('chart-note').textContent =
    view.kind === 'RSE' ? text('rseNote')(number(progress.target)) : text('kubeNote');
}

/** @param {Figures} figures */
function renderOutcomes(figures) {
  const { outcomes } = figures;
  const max = Math.max(1, ...STATUSES.map((status) => outcomes.byStatus[status] ?? 0));
  byId('statuses').replaceChildren(
    ...STATUSES.map((status) =>
      el(
        'li',
        { class: `status ${status.toLowerCase()}` },
        el('span', { class: 'name' }, text(status)),
        bars([{ value: outcomes.byStatus[status] ?? 0, kind: status.toLowerCase() }], max),
        el('strong', { class: 'numbers' }, number(outcomes.byStatus[status] ?? 0)),
      ),
    ),
  );
  byId('workers').textContent = text('workers')(
    number(outcomes.workers),
    number(outcomes.workersFromPoorHouseholds),
  );
  byId('challenges').replaceChildren(
    ...Object.entries(outcomes.challenges).map(([challenge, count]) =>
      el('li', {}, el('span', {}, phrase(challenge) ?? challenge), el('strong', {}, number(count))),
    ),
  );
}

/** @param {Figures} figures */
function renderLag(figures) {
  const projections = figures.health.projections ?? [];
  const serving = projections.filter((projection) => projection.serving !== false);
  const slowest = serving.reduce(
    (worst, projection) =>
      Number(projection.lagEvents) > Number(worst.lagEvents) ? projection : worst,
    { lagEvents: '0', lagSeconds: 0 },
  );
  byId('lag-summary').textContent = text('lagSummary')(
    Number(slowest.lagEvents),
    number(Math.round(slowest.lagSeconds * 10) / 10),
  );
  byId('projections').replaceChildren(
    ...projections.map((projection) =>
      el(
        'tr',
        {},
        el('td', {}, projection.name),
        el(
          'td',
          { class: `state ${projection.status}` },
          phrase(projection.status) ?? projection.status,
        ),
        el('td', {}, text('events')(number(Number(projection.lagEvents)))),
      ),
    ),
  );
}

byId('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenField().value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  tokenField().value = '';
  load();
});

byId('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showMessage(null);
  showSignIn();
});

byId('language').addEventListener('click', () => {
  view.language = view.language === 'id' ? 'en' : 'id';
  sessionStorage.setItem(LANGUAGE_KEY, view.language);
  render();
});

render();
load();
