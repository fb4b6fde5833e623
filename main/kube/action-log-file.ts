// The action log on disk: append-only JSON lines, hash-chained (shared/evidence/action-chain.ts). Appending takes an
// exclusive lock file, checks the existing chain (never extends a broken log: that would hide the break), seals the
// new entry onto the last hash and writes it with fsync.
import { closeSync, constants, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { entryLine, sealEntry, verifyActionChain, type ChainVerdict } from '../../shared/evidence/action-chain.js';
import { actionLogEntrySchema, type ActionLogEntry, type ActionRecord } from '../../shared/model/action.js';

export class ActionLogError extends Error {
  override name = 'ActionLogError';
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function withLock<T>(file: string, work: () => T): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const fd = openSync(lock, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readText(lock).trim());
      // A lock left by a process that died is stale: take it over.
      if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
        unlinkSync(lock);
        continue;
      }
      if (Date.now() > deadline) throw new ActionLogError(`the action log ${file} is locked by process ${holder || 'unknown'}; nothing was written`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return work();
  } finally {
    unlinkSync(lock);
  }
}

export class ActionLogFile {
  constructor(readonly file: string) {}

  verify(): ChainVerdict {
    return verifyActionChain(readText(this.file));
  }

  /** Every entry, validated; throws when the chain is broken or an entry is not an action record. */
  entries(): ActionLogEntry[] {
    const text = readText(this.file);
    const verdict = verifyActionChain(text);
    if (!verdict.intact) throw new ActionLogError(`the action log ${this.file} is broken: ${verdict.firstBreak.message}`);
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line, index) => {
        const parsed = actionLogEntrySchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new ActionLogError(`entry ${index} of ${this.file} is not an action record: ${parsed.error.issues[0]?.message}`);
        return parsed.data;
      });
  }

  async append(record: ActionRecord): Promise<ActionLogEntry> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    return withLock(this.file, () => {
      const verdict = verifyActionChain(readText(this.file));
      if (!verdict.intact) {
        throw new ActionLogError(`the action log ${this.file} is broken (${verdict.firstBreak.message}); refusing to append to it — move it aside for investigation`);
      }
      const entry = sealEntry(verdict.head, record);
      const fd = openSync(this.file, constants.O_CREAT | constants.O_APPEND | constants.O_WRONLY, 0o600);
      try {
        writeSync(fd, entryLine(entry));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return entry as ActionLogEntry;
    });
  }
}
