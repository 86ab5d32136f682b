/**
 * Imported first by every entry point: on a Node older than 22 better-sqlite3 13 dies with a
 * segmentation fault and no message, so the process says why and stops before loading it.
 */
const REQUIRED_MAJOR = 22; // package.json "engines"; .nvmrc names the recommended one (24)

const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_MAJOR) {
  process.stderr.write(
    `bansos-ledger needs Node ${REQUIRED_MAJOR} or later (.nvmrc: 24); this is ${process.version}\n`,
  );
  process.exit(1);
}
