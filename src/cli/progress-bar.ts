/**
 * A one-line progress bar on stderr when it is a terminal; nothing otherwise
 * (logs and pipes stay clean).
 */
export class ProgressBar {
  private readonly enabled = process.stderr.isTTY === true;
  private lastLabel = '';

  update(label: string, done: number, total: number): void {
    if (!this.enabled || total <= 0) return;
    const width = 30;
    const filled = Math.round((Math.min(done, total) / total) * width);
    const line = `${label.padEnd(10)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`;
    process.stderr.write(`\r${line}`);
    this.lastLabel = label;
  }

  done(): void {
    if (this.enabled && this.lastLabel) process.stderr.write('\n');
    this.lastLabel = '';
  }
}
