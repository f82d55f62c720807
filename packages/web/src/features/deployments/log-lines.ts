/** Cuts a text stream into lines; a line is complete only once its newline has arrived. */
export function createLineSplitter(): { push(chunk: string): string[]; flush(): string[] } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      return parts.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    },
    flush() {
      const last = rest;
      rest = '';
      return last ? [last] : [];
    },
  };
}

/** Appends lines, keeping only the newest `max` (a page that follows for hours stays small). */
export function appendBounded(lines: readonly string[], more: readonly string[], max: number): string[] {
  if (more.length === 0) return lines as string[];
  const all = lines.concat(more);
  return all.length > max ? all.slice(all.length - max) : all;
}
