/**
 * Personal data that can be erased while the ledger stays verifiable (crypto-shredding).
 *
 * Each person (an RSE woman; a KUBe as a group and each of its members) has a data key of her
 * own, kept in a key store apart from the event log, wrapped by the master key from
 * configuration. Her personal fields enter events encrypted with it, so the log, its hashes and
 * its seals hold only ciphertext; destroying the key erases her data from every copy of the log
 * at once, and the hashes still verify.
 *
 * Which fields are personal is one rule, not a list per event type: in an event's data, an object
 * that names a data key (`dataKeyId`) has its PERSONAL_PROPERTIES that are strings encrypted with
 * that key. Events written before this rule hold clear text and no `dataKeyId`; they read as they
 * are.
 */

/** What a person's erased field reads as, everywhere: read models, exports, history, replays. */
export const ERASED_TEXT = '[dihapus]';

/** Where the embedded default keeps the master key it generated, beside the NIK key. */
export const DEV_MASTER_KEY_FILE = 'personal-data-master.key';

/** Where the embedded default keeps the data keys: a file of their own, apart from the log. */
export const DATA_KEY_FILE = 'personal-data-keys.sqlite';

/** The property naming the data key the personal properties beside it are encrypted with. */
export const DATA_KEY_PROPERTY = 'dataKeyId';

/** The properties of an object with a `dataKeyId` that hold personal data when they are strings. */
export const PERSONAL_PROPERTIES = [
  'name',
  'groupName',
  'phone',
  'address',
  'notes',
  'before',
  'after',
] as const;

/**
 * How an encrypted field is written in an event: `pd1:<keyId>:<base64url of iv | ciphertext |
 * tag>`, AES-256-GCM with the key id as additional data. A string, so that event shapes and
 * their types stay as they were.
 */
export const CIPHERTEXT_PREFIX = 'pd1:';

export const DATA_KEY_STORE = Symbol('DataKeyStore');

/**
 * Where data keys live: apart from the event log (its own SQLite file, or a MongoDB collection),
 * each key wrapped by the master key. Destroying a key is final: the store must not keep it in
 * free pages, journals or caches.
 */
export interface DataKeyStore {
  /** 'sqlite' or 'mongodb', for health reports. */
  readonly adapter: string;

  /**
   * The id of a fresh key, already durable and assigned to no one: the caller writes it into the
   * events of the person it now belongs to. Keys are made ahead in batches, so taking one costs
   * no write of its own.
   */
  newKeyId(): Promise<string>;

  /** The keys of these ids that exist (unwrapped, 32 bytes each); destroyed ones are absent. */
  keys(keyIds: readonly string[]): Promise<Map<string, Buffer>>;

  /** Destroys these keys for good; idempotent. Resolves once nothing of them is left on disk. */
  destroy(keyIds: readonly string[]): Promise<void>;

  close(): Promise<void>;
}

/** An append that would encrypt with a destroyed key: the person's data was erased. */
export class PersonalDataErasedError extends Error {
  override readonly name = 'PersonalDataErasedError';

  constructor(readonly keyId: string) {
    super(`The personal data of key ${keyId} was erased; nothing can be written with it`);
  }
}
