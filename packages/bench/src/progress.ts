/** A progress bar on stderr, only on a TTY (and never under NO_COLOR/CI piping). */
export function progressBar(label: string): { update(done: number, total: number): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  return {
    update(done, total) {
      if (!tty) return;
      const width = 30;
      const fill = Math.round((done / Math.max(1, total)) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${done}/${total}`);
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
