/**
 * Escaping for values Samsyn writes into messages. node-hl7-client's builder
 * writes values as given (its `escape()` returns the text unchanged), so a value
 * holding `|`, `^`, `&`, `~` or `\` would change the message's structure.
 * Standard delimiters only: Samsyn always builds with `|^~\&`.
 */
const ESCAPES: Record<string, string> = {
  '\\': '\\E\\',
  '|': '\\F\\',
  '^': '\\S\\',
  '&': '\\T\\',
  '~': '\\R\\',
  '\r': '\\X0D\\',
  '\n': '\\X0A\\',
};

export function escapeHl7(value: string): string {
  return value.replace(/[\\|^&~\r\n]/g, (ch) => ESCAPES[ch] ?? ch);
}
