/**
 * Prints one line per test left as `it.todo(reason)`, which is how suites that need a server
 * (KurrentDB, MongoDB) say why they did not run.
 */
class SkippedTestsReporter {
  onRunComplete(_contexts, results) {
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'todo') {
          process.stdout.write(`${test.ancestorTitles.join(' › ')}: ${test.title}\n`);
        }
      }
    }
  }
}

module.exports = SkippedTestsReporter;
