import type { NikProblem } from '../../domain/programme/nik';
import { TEXT_PROBLEM_ORDER, type TextKind, type TextProblem } from '../../domain/programme/text';
import {
  AID_UNITS,
  DEFAULT_UNIT,
  MAX_QUANTITY,
  MEASURED_UNITS,
  QUANTITY_DECIMALS,
  type QuantityProblem,
} from '../../domain/recipient/aid-items';
import { KUBE_SIZE } from '../../domain/recipient/recipient.registration';
import type { Catalogue, MessageParams } from './catalogue';

/**
 * Bahasa Indonesia, in the formal register of a government office. Keys are the `code` of an
 * error (UPPER_SNAKE) or the rule of a field error (class-validator's name, camelCase); field
 * names stay as the API spells them. To add a code: one line, `CODE: (p) => \`${field(p)} …\``,
 * or plain text when the message names no value. Parameters: `field` always where the error
 * names one; the others as the throw site passes them (DomainError's `params`).
 */

/** The field the message is about, as the English message names it. */
const field = (params: MessageParams, fallback = 'nilai'): string =>
  String(params.field ?? fallback);

/** `c0`, `c1`…: the constraints of a class-validator rule, when known. */
const constraint = (params: MessageParams, index = 0): string | undefined => {
  const value = params[`c${index}`];
  return value === undefined ? undefined : String(value);
};

export const NIK_PROBLEMS_ID: Record<NikProblem, string> = {
  NOT_16_DIGITS: 'harus terdiri dari 16 angka',
  BAD_REGION: 'harus diawali dengan kode provinsi, kabupaten/kota, dan kecamatan (tanpa bagian 00)',
  UNKNOWN_PROVINCE: 'harus diawali dengan kode Kemendagri provinsi yang ada (misalnya 64)',
  UNKNOWN_REGENCY:
    'harus memuat kode kabupaten/kota yang ada di provinsinya (untuk 64: 01–11 atau 71–74, termasuk kode Kalimantan Utara sebelum tahun 2012)',
  IMPOSSIBLE_DATE:
    'harus memuat tanggal lahir yang benar (DD 01–31, atau 41–71 untuk perempuan; MM 01–12)',
  BAD_SERIAL: 'harus diakhiri dengan nomor urut mulai dari 0001',
};

export function textProblemId(problem: TextProblem, kind: TextKind): string {
  switch (problem) {
    case 'CONTROL_CHARACTER':
      return kind === 'lines'
        ? 'tidak boleh memuat karakter kendali selain pindah baris'
        : 'tidak boleh memuat karakter kendali (seperti tab, pindah baris, atau ESC)';
    case 'BIDI_CONTROL':
      return 'tidak boleh memuat karakter kendali arah teks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)';
    case 'INVISIBLE_CHARACTER':
      return 'tidak boleh memuat karakter tak terlihat (seperti spasi atau penyambung lebar nol, U+2060 atau U+FEFF)';
    case 'ILL_FORMED':
      return 'harus berupa teks Unicode yang sah (tanpa karakter pengganti U+FFFD, surrogate tanpa pasangan, atau noncharacter)';
    case 'NO_LETTER':
      return 'harus memuat huruf';
    case 'NO_LETTER_OR_DIGIT':
      return 'harus memuat huruf atau angka';
  }
}

const QUANTITY_PROBLEMS_ID: Record<QuantityProblem, (params: MessageParams) => string> = {
  NOT_A_NUMBER: (p) => `${field(p, 'quantity')} harus berupa angka`,
  NOT_POSITIVE: (p) => `${field(p, 'quantity')} harus lebih dari 0`,
  TOO_LARGE: (p) => `${field(p, 'quantity')} harus bernilai paling banyak ${MAX_QUANTITY}`,
  TOO_MANY_DECIMALS: (p) =>
    `${field(p, 'quantity')} harus memiliki paling banyak ${QUANTITY_DECIMALS} angka desimal`,
  NOT_WHOLE_FOR_UNIT: (p) =>
    `${field(p, 'quantity')} harus berupa bilangan bulat untuk satuan ${p.unit ?? DEFAULT_UNIT} (angka desimal hanya untuk ${MEASURED_UNITS.join(', ')})`,
};

const BODY_PROBLEMS_ID: Record<string, (params: MessageParams) => string> = {
  NOT_UTF8: () => 'Isi permintaan bukan teks UTF-8 yang sah',
  NOT_JSON: () => 'Isi permintaan bukan JSON yang sah',
  FIELD_TWICE: (p) => `Isi permintaan memuat kolom ${field(p)} lebih dari satu kali`,
  TOO_MANY_FIELDS: (p) => `Isi permintaan memuat lebih dari ${p.limit} kolom dalam satu objek`,
  TOO_MANY_ITEMS: (p) => `Isi permintaan memuat lebih dari ${p.limit} butir dalam satu daftar`,
  TOO_MANY_VALUES: (p) => `Isi permintaan memuat lebih dari ${p.limit} nilai`,
  TOO_DEEP: (p) => `Isi permintaan bertingkat lebih dari ${p.limit} lapis`,
};

const lineNotWholeRupiah = (p: MessageParams): string =>
  'quantity × unitPriceRupiah harus menghasilkan nilai rupiah yang bulat' +
  (p.value === undefined ? '' : ` (${p.quantity} × ${p.price} = ${p.value})`);

/** One of a closed set of problems, or the general message when the problem is not known. */
const byProblem =
  (
    problems: Readonly<Record<string, (params: MessageParams) => string>>,
    general: (params: MessageParams) => string,
  ) =>
  (params: MessageParams): string => {
    const problem = typeof params.problem === 'string' ? params.problem : undefined;
    return problem && Object.hasOwn(problems, problem)
      ? problems[problem](params)
      : general(params);
  };

export const ID: Catalogue = {
  // Input refused by the HTTP layer (400, 413, 415).
  INVALID_INPUT: 'Masukan tidak sah',
  INVALID_BODY: byProblem(BODY_PROBLEMS_ID, () => 'Isi permintaan tidak dapat dibaca'),
  PAYLOAD_TOO_LARGE: (p) => `Isi permintaan melebihi ${p.limit ?? 'batas ukuran yang diizinkan'}`,
  UNSUPPORTED_MEDIA_TYPE: (p) =>
    p.problem === 'CHARSET'
      ? 'Isi permintaan harus berenkode UTF-8 (charset=utf-8)'
      : 'Content-Type harus berupa application/json',
  UNSUPPORTED_CONTENT_ENCODING:
    'Content-Encoding harus identity: isi permintaan yang dimampatkan tidak diterima',
  INVALID_IDEMPOTENCY_KEY:
    'Idempotency-Key harus terdiri dari 1 sampai dengan 200 karakter ASCII yang terlihat',

  // Who may call (401, 403), how often (429), and a key reused (422).
  UNAUTHENTICATED: 'Diperlukan token bearer yang sah dan berlaku',
  FORBIDDEN: 'Token bearer ini tidak memiliki peran yang diperlukan untuk permintaan ini',
  RATE_LIMITED:
    'Permintaan dari pemanggil ini melebihi batas per menit; silakan coba lagi setelah jumlah detik pada header Retry-After',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency-Key ini telah digunakan untuk permintaan yang berbeda',

  // The service for a moment (409, 503) or a defect (500).
  CONCURRENCY_CONFLICT:
    'Perubahan lain atas data yang sama telah lebih dahulu tercatat; silakan ulangi permintaan',
  EVENT_STORE_UNAVAILABLE:
    'Penyimpanan peristiwa (event store) sedang tidak dapat dihubungi; silakan coba lagi sesaat lagi',
  EVENT_TOO_LARGE:
    'Perubahan ini melebihi ukuran yang diterima penyimpanan peristiwa; tidak ada yang tercatat',
  STREAM_NOT_WRITABLE:
    'Penyimpanan peristiwa menolak menulis ke data ini; tidak ada yang tercatat, operator harus memperbaikinya',
  INVALID_POSITION: 'Posisi ini bukan posisi sebuah peristiwa di penyimpanan peristiwa',
  AUTH_UNAVAILABLE: 'Kunci penyedia identitas tidak dapat diambil; silakan coba lagi sesaat lagi',
  READ_MODEL_BEHIND:
    'Model baca (read model) belum mencapai posisi minPosition; silakan coba lagi sesaat lagi',
  NOT_READY: 'Layanan belum siap menerima permintaan; silakan coba lagi sesaat lagi',
  VERIFY_RUNNING:
    'Verifikasi sedang berjalan pada proses ini; silakan coba lagi setelah verifikasi selesai',
  INTERNAL_ERROR: 'Terjadi kesalahan pada sistem kami',

  // HTTP's own answers, for an exception raised without a code of ours (a route that does not exist).
  BAD_REQUEST: 'Permintaan tidak sah',
  UNAUTHORIZED: 'Diperlukan token bearer yang sah dan berlaku',
  NOT_FOUND: 'Alamat atau metode yang diminta tidak ditemukan',
  METHOD_NOT_ALLOWED: 'Metode permintaan ini tidak diizinkan untuk alamat tersebut',
  NOT_ACCEPTABLE: 'Format jawaban yang diminta tidak tersedia',
  REQUEST_TIMEOUT: 'Permintaan tidak diterima secara lengkap dalam batas waktu',
  CONFLICT: 'Permintaan bertentangan dengan keadaan data saat ini',
  PRECONDITION_FAILED: 'Prasyarat permintaan tidak terpenuhi',
  UNPROCESSABLE_ENTITY: 'Permintaan tidak dapat diproses',
  TOO_MANY_REQUESTS: 'Terlalu banyak permintaan; silakan coba lagi nanti',
  INTERNAL_SERVER_ERROR: 'Terjadi kesalahan pada sistem kami',
  SERVICE_UNAVAILABLE: 'Layanan sedang tidak tersedia; silakan coba lagi sesaat lagi',

  // The domain: recipients and their NIKs.
  INVALID_NIK: byProblem(
    Object.fromEntries(
      Object.entries(NIK_PROBLEMS_ID).map(([problem, text]) => [
        problem,
        (p: MessageParams) => `${field(p, 'nik')} ${text}`,
      ]),
    ),
    (p) => `${field(p, 'nik')} bukan NIK yang sah`,
  ),
  NIK_NOT_FEMALE: (p) =>
    `${field(p, 'nik')} harus bertanda perempuan (tanggal lahir 41–71): bantuan RSE diperuntukkan bagi perempuan`,
  NIK_ALREADY_REGISTERED: (p) => `${field(p, 'nik')} sudah terdaftar dalam program`,
  DUPLICATE_MEMBER_NIK: 'NIK yang sama tercantum dua kali dalam kelompok',
  KUBE_NOT_FIVE_MEMBERS: (p) => `${field(p, 'members')} harus berisi tepat ${KUBE_SIZE} orang`,
  ONE_CHAIR_REQUIRED: 'KUBe harus memiliki tepat satu ketua (CHAIR)',
  INVALID_TEXT: (p) =>
    TEXT_PROBLEM_ORDER.includes(p.problem as TextProblem)
      ? `${field(p)} ${textProblemId(p.problem as TextProblem, p.kind === 'lines' ? 'lines' : 'text')}`
      : `${field(p)} memuat karakter yang tidak diperbolehkan`,
  UNKNOWN_REGENCY: (p) =>
    `${field(p, 'regencyCode')} bukan kode salah satu kabupaten/kota di Kalimantan Timur`,
  RECIPIENT_ALREADY_REGISTERED: 'Penerima ini sudah terdaftar',
  REGISTRATION_ABANDONED:
    'Pendaftaran ini memakan waktu terlalu lama sehingga dibatalkan; silakan mendaftar kembali',
  RECIPIENT_NOT_FOUND: 'Penerima tidak ditemukan',

  // Erasure of personal data (crypto-shredding).
  PERSONAL_DATA_ERASED: (p) =>
    p.field === undefined
      ? 'Perintah ini akan mencatat data pribadi orang yang datanya telah dihapus; tidak ada yang tercatat'
      : `${field(p)} menyangkut orang yang data pribadinya telah dihapus: tidak ada lagi yang dicatat tentangnya`,
  PERSONAL_DATA_NOT_ENCRYPTED:
    'Data pribadi ini tercatat sebelum dienkripsi sehingga belum dapat dihapus: log harus dienkripsi ulang terlebih dahulu (lihat migrasi di docs/privacy.md)',
  REFERENCE_REQUIRED: (p) =>
    `${field(p, 'reference')} harus menyebutkan nomor surat atau keputusan yang menjadi dasarnya`,

  // Corrections and life events.
  REASON_REQUIRED: (p) =>
    `${field(p, 'reason')} harus menyebutkan alasannya, untuk keperluan audit`,
  NOTHING_TO_CORRECT:
    'Koreksi ini tidak mengubah apa pun: setiap nilai yang diberikan sama dengan yang sudah tercatat',
  FIELD_NOT_FOR_KIND: (p) => `${field(p)} tidak dapat dikoreksi untuk jenis penerima ini`,
  NIK_NOT_OF_RECIPIENT: (p) => `${field(p, 'nik')} bukan NIK yang tercatat untuk penerima ini`,
  NIK_REQUIRED: (p) =>
    `${field(p, 'nik')} (NIK anggota sebagaimana tercatat) wajib diisi untuk mengoreksi NIK anggota KUBe`,
  NIK_UNCHANGED: (p) => `${field(p, 'newNik')} sama dengan NIK yang sudah tercatat`,
  NOT_A_KUBE: (p) =>
    p.field === 'memberNik'
      ? 'memberNik hanya untuk anggota KUBe: data pribadi perempuan RSE dihapus seluruhnya'
      : 'Hanya KUBe yang memiliki anggota untuk diganti',
  NOT_A_MEMBER: (p) =>
    p.former
      ? `${field(p, 'memberNik')} bukan NIK anggota KUBe ini, baik yang sekarang maupun yang dahulu`
      : `${field(p, 'nik')} bukan NIK anggota KUBe ini saat ini`,
  DATE_BEFORE_MEMBER_JOINED: (p) =>
    `${field(p, 'effectiveOn')} tidak boleh mendahului tanggal bergabungnya anggota yang keluar`,
  SAME_REGENCY: 'Penerima sudah berdomisili di kabupaten/kota tersebut',
  DATE_BEFORE_MOVE: (p) =>
    `${field(p, 'tanggal')} tidak boleh mendahului tanggal kepindahan yang sudah tercatat`,
  NOT_AN_RSE:
    'KUBe adalah kelompok: catat kematian seorang anggota sebagai penggantian anggota (departure DIED)',
  ALREADY_DECEASED: 'Kematian penerima ini sudah tercatat',
  ALREADY_WITHDRAWN: 'Pengunduran diri penerima ini sudah tercatat',
  DATE_BEFORE_WITHDRAWAL: (p) =>
    `${field(p, 'diedOn')} tidak boleh mendahului tanggal pengunduran diri yang sudah tercatat`,
  RECIPIENT_DECEASED: 'Penerima telah meninggal dunia; tindakan ini tidak dapat dilakukan',
  RECIPIENT_WITHDRAWN:
    'Penerima telah mengundurkan diri dari program; tindakan ini tidak dapat dilakukan',

  // Disbursements and their items.
  INVALID_DATE: (p) =>
    `${field(p, 'tanggal')} harus berupa tanggal yang benar dengan format YYYY-MM-DD`,
  DATE_NOT_IN_YEAR: (p) =>
    `${field(p, 'tanggal')} harus berada dalam tahun yang tercantum pada year`,
  DATE_IN_FUTURE: (p) => `${field(p, 'tanggal')} tidak boleh melewati tanggal hari ini`,
  DATE_BEFORE_DISBURSEMENT: (p) =>
    `${field(p, 'tanggal')} tidak boleh mendahului tanggal penyaluran bantuan`,
  ALREADY_DISBURSED:
    'Penerima ini sudah menerima penyaluran bantuan yang belum dibatalkan; batalkan penyaluran tersebut terlebih dahulu',
  FOREIGN_DISBURSEMENT_ID: 'Nomor penyaluran ini merujuk pada penerima lain',
  DISBURSEMENT_ID_TAKEN: 'Nomor penyaluran ini sudah digunakan',
  DISBURSEMENT_NOT_FOUND: 'Penyaluran tidak ditemukan',
  ALREADY_REVERSED: 'Penyaluran ini sudah dibatalkan',
  NOT_DISBURSED: 'Penerima ini belum menerima penyaluran bantuan yang dapat ditindaklanjuti',
  INVALID_QUANTITY: byProblem(QUANTITY_PROBLEMS_ID, (p) => `${field(p, 'quantity')} tidak sah`),
  INVALID_UNIT: (p) =>
    `${field(p, 'unit')} harus berupa salah satu dari: ${p.units ?? AID_UNITS.join(', ')}`,
  INVALID_PRICE: (p) =>
    `${field(p, 'unitPriceRupiah')} harus berupa bilangan bulat rupiah mulai dari 0${p.max === undefined ? '' : ` sampai dengan ${p.max}`}`,
  LINE_NOT_WHOLE_RUPIAH: (p) => lineNotWholeRupiah(p),
  VALUE_ZERO: 'Nilai seluruh barang harus lebih dari Rp0',
  VALUE_ABOVE_CEILING: (p) =>
    p.value === undefined
      ? 'Nilai bantuan melebihi plafon untuk jenis bantuan ini'
      : `Nilai bantuan Rp${p.value} melebihi plafon ${p.kind} sebesar Rp${p.ceiling}`,

  // Follow-up.
  INVALID_NUMBER: (p) => `${field(p)} harus berupa bilangan bulat mulai dari 0`,
  WORKERS_FROM_POOR_HOUSEHOLDS_ABOVE_WORKERS:
    'workersFromPoorHouseholds tidak boleh melebihi workers',

  // The programme: years, targets, ceilings and allocations.
  YEAR_OUTSIDE_PROGRAMME: 'Tahun tersebut berada di luar program',
  QUOTA_EXHAUSTED: (p) =>
    p.allocation !== undefined
      ? `Alokasi ${p.kind} tahun ${p.year} untuk ${p.regencyCode} sebanyak ${p.allocation} sudah terpenuhi`
      : p.target !== undefined
        ? `Target ${p.kind} tahun ${p.year} sebanyak ${p.target} sudah terpenuhi`
        : 'Target atau alokasi kuota tahun ini untuk jenis bantuan dan kabupaten/kota ini sudah terpenuhi',
  INVALID_PROGRAMME:
    'Alokasi harus berupa bilangan bulat untuk kabupaten/kota yang dikenal, dengan jumlah paling banyak sebesar target',
  INVALID_QUOTA: (p) =>
    `${field(p, 'quota')} harus berupa bilangan bulat mulai dari 0 dalam batas yang diizinkan`,
  INVALID_TARGET: (p) =>
    `${field(p)} harus berupa bilangan bulat mulai dari 0 dalam batas yang diizinkan`,
  INVALID_CEILING: (p) =>
    `${field(p)} harus berupa bilangan bulat rupiah mulai dari 1 dalam batas yang diizinkan`,
  ALLOCATION_BELOW_DISBURSED: (p) =>
    p.held === undefined
      ? 'Alokasi tidak dapat diturunkan di bawah jumlah penyaluran yang sudah tercatat di kabupaten/kota ini'
      : `${p.regencyCode} sudah mencatat ${p.held} penyaluran ${p.kind} pada tahun ${p.year}; alokasinya tidak dapat diturunkan menjadi ${p.quota}`,
  ALLOCATION_ABOVE_TARGET: (p) =>
    p.total === undefined
      ? 'Jumlah seluruh alokasi akan melebihi target tahun tersebut'
      : `Jumlah alokasi akan menjadi ${p.total}, melebihi target ${p.kind} tahun ${p.year} sebanyak ${p.target}`,
  TARGET_BELOW_DISBURSED: (p) =>
    p.held === undefined
      ? 'Target tidak dapat diturunkan di bawah jumlah penyaluran yang sudah tercatat pada tahun tersebut'
      : `${p.kind} tahun ${p.year} sudah mencatat ${p.held} penyaluran; target tidak dapat diturunkan menjadi ${p.target}`,
  CEILING_BELOW_DISBURSED: (p) =>
    p.largest === undefined
      ? 'Plafon tidak dapat diturunkan di bawah nilai penyaluran yang sudah tercatat pada tahun tersebut'
      : `Sebuah penyaluran ${p.kind} tahun ${p.year} bernilai Rp${p.largest}; plafon tidak dapat diturunkan menjadi Rp${p.ceiling}`,

  // Field rules of class-validator and of this API's decorators (the `rule` of a field error).
  whitelistValidation: (p) => `${field(p)} bukan kolom yang dikenal`,
  unknownValue: 'Nilai yang diberikan tidak dapat diperiksa',
  nestedValidation: (p) => `${field(p)} harus berupa objek atau daftar`,
  isDefined: (p) => `${field(p)} wajib diisi`,
  isString: (p) => `${field(p)} harus berupa teks`,
  isInt: (p) => `${field(p)} harus berupa bilangan bulat`,
  isNumber: (p) => `${field(p)} harus berupa angka`,
  isBoolean: (p) => `${field(p)} harus bernilai true atau false`,
  isObject: (p) => `${field(p)} harus berupa objek`,
  isArray: (p) => `${field(p)} harus berupa daftar`,
  isUuid: (p) => `${field(p)} harus berupa nomor identitas yang sah (UUID)`,
  onlyWithCsv: (p) => `${field(p)} hanya berlaku untuk format=csv`,
  min: (p) =>
    constraint(p) === undefined
      ? `${field(p)} terlalu kecil`
      : `${field(p)} harus bernilai paling sedikit ${constraint(p)}`,
  max: (p) =>
    constraint(p) === undefined
      ? `${field(p)} terlalu besar`
      : `${field(p)} harus bernilai paling banyak ${constraint(p)}`,
  isIn: (p) =>
    constraint(p) === undefined
      ? `${field(p)} bukan salah satu nilai yang diperbolehkan`
      : `${field(p)} harus berupa salah satu dari: ${constraint(p)}`,
  isLength: (p) => {
    const [least, most] = [constraint(p, 0), constraint(p, 1)];
    if (most === undefined) return `${field(p)} terlalu panjang atau terlalu pendek`;
    return least === undefined || least === '0'
      ? `${field(p)} harus terdiri dari paling banyak ${most} karakter`
      : `${field(p)} harus terdiri dari ${least} sampai dengan ${most} karakter`;
  },
  matches: (p) => `${field(p)} tidak sesuai dengan format yang ditentukan`,
  arrayMinSize: (p) =>
    constraint(p) === undefined
      ? `${field(p)} berisi terlalu sedikit butir`
      : `${field(p)} harus berisi paling sedikit ${constraint(p)} butir`,
  arrayMaxSize: (p) =>
    constraint(p) === undefined
      ? `${field(p)} berisi terlalu banyak butir`
      : `${field(p)} harus berisi paling banyak ${constraint(p)} butir`,
  arrayUnique: (p) => `${field(p)} tidak boleh memuat butir yang berulang`,
  notBlank: (p) => `${field(p)} tidak boleh kosong`,
  // Text rules as IsText names them, for decorators elsewhere that reuse the names.
  noControlCharacters: (p) => `${field(p)} ${textProblemId('CONTROL_CHARACTER', 'text')}`,
  noBidiControls: (p) => `${field(p)} ${textProblemId('BIDI_CONTROL', 'text')}`,
  noInvisibleCharacters: (p) => `${field(p)} ${textProblemId('INVISIBLE_CHARACTER', 'text')}`,
  wellFormedText: (p) => `${field(p)} ${textProblemId('ILL_FORMED', 'text')}`,
  containsLetter: (p) => `${field(p)} ${textProblemId('NO_LETTER', 'name')}`,
  containsLetterOrDigit: (p) => `${field(p)} ${textProblemId('NO_LETTER_OR_DIGIT', 'text')}`,
  maxWords: (p) =>
    constraint(p) === undefined
      ? `${field(p)} memuat terlalu banyak kata`
      : `${field(p)} harus terdiri dari paling banyak ${constraint(p)} kata`,
  isNikRegion: (p) =>
    `${field(p, 'nik')} ${NIK_PROBLEMS_ID[p.problem === 'UNKNOWN_REGENCY' ? 'UNKNOWN_REGENCY' : 'UNKNOWN_PROVINCE']}`,
  dateText: (p) => `${field(p, 'tanggal')} harus berupa tanggal dengan format YYYY-MM-DD`,
  regencyCode: (p) => `${field(p, 'regencyCode')} harus berupa kode Kemendagri seperti 64.72`,
  isDateOrInstant: (p) =>
    `${field(p)} harus berupa tanggal (YYYY-MM-DD) atau waktu ISO dengan Z atau zona waktu (…Z, …+08:00; + ditulis %2B dalam URL)`,
  isCalendarDate: (p) => `${field(p)} harus berupa tanggal yang ada, dengan format YYYY-MM-DD`,
  notBefore: (p) => `${field(p)} tidak boleh mendahului ${constraint(p) ?? 'tanggal awal'}`,
  isPosition: (p) => `${field(p, 'minPosition')} harus bernilai paling banyak 9223372036854775807`,
  quantityDecimals: (p) => QUANTITY_PROBLEMS_ID.TOO_MANY_DECIMALS(p),
  wholeForUnit: (p) => QUANTITY_PROBLEMS_ID.NOT_WHOLE_FOR_UNIT(p),
  wholeRupiah: (p) => lineNotWholeRupiah(p),
};
