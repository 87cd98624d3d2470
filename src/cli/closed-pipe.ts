/**
 * A writer for `stream` that goes quiet once the reader has gone (`… | head -1` closes the pipe: EPIPE),
 * instead of the unhandled 'error' event Node turns into a stack trace. The command keeps running to its
 * end (a report file is still written, the cache still flushed) and exits with its own code; other
 * write errors are swallowed the same way, since there is nowhere left to say them.
 */
export function quietWhenClosed(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  stream.on("error", () => {
    closed = true;
  });
  return (text) => {
    if (closed) return;
    try {
      stream.write(text);
    } catch {
      closed = true;
    }
  };
}
