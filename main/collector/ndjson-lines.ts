// Splits a byte stream into lines without holding more than one line (plus one chunk) in memory. Pulling lines one
// at a time leaves the rest in the socket: a slow consumer slows the sender (TCP backpressure).
export class LineTooLongError extends Error {
  override name = 'LineTooLongError';
}

export async function* ndjsonLines(source: AsyncIterable<Buffer | string>, maxLineBytes = 16 << 20): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') yield line;
      newline = pending.indexOf('\n');
    }
    if (pending.length > maxLineBytes) throw new LineTooLongError(`a stream line exceeds ${maxLineBytes} bytes`);
  }
  if (pending.trim() !== '') yield pending;
}
