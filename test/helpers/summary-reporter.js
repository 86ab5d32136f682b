/**
 * Prints one line per test left as `it.todo(reason)` — how suites that need a server (KurrentDB,
 * MongoDB) say why they did not run — and a plain closing count that any CI can read.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'todo') {
          process.stdout.write(`${test.ancestorTitles.join(' › ')}: ${test.title}\n`);
        }
      }
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
