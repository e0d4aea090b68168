/** The exit codes of `samsyn` (also in its usage text and the README). */
export const EXIT = {
  /** Done; for summarize: every file was about the patient. */
  ok: 0,
  /** validate-id / --patient: not a valid id. cache verify: the integrity check failed. */
  invalid: 1,
  /** A file could not be read (missing, not JSON, not a Bundle, malformed HL7); cache: cannot be opened. */
  badFile: 2,
  /** summarize: a file was rejected (about another patient). */
  rejected: 3,
  /** The arguments do not fit the command. */
  usage: 64,
  /** An internal error (a bug): run again with --verbose. */
  internal: 70,
} as const;

export const EXIT_CODES_TEXT = `Exit codes: 0 done; 1 not a valid id (or cache integrity failed, or the access log's
  chain is broken); 2 a file, the cache or the access log cannot be read; 3 a file is about
  another patient; 64 usage; 70 internal error.
`;
