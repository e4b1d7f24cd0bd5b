// What the reader asked `npm run check` for, from its arguments and from npm.
// `npm run check -- 01 --hint` hands --hint to the runner. Without the `--`, npm 11 takes --hint as
// a setting of its own, warns 'Unknown cli config "--hint"', and passes it on as the environment
// variable npm_config_hint=true: the runner honours that too, and says what to type instead,
// since npm warns that this stops working in its next major version.

export const FLAGS = ['hint', 'watch', 'reset'] as const;
export type Flag = (typeof FLAGS)[number];

export interface Request {
  /** "01", "1" or a slug; undefined for every exercise. */
  exercise?: string;
  flag?: Flag;
  /** The flag came from npm's environment, not from the runner's arguments. */
  flagViaNpm: boolean;
  /** Set when the arguments make no sense: what to tell the reader. */
  problem?: string;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Request {
  const given = argv.filter((a) => a.startsWith('-'));
  const unknown = given.filter((a) => !FLAGS.some((f) => a === `--${f}`));
  const positional = argv.filter((a) => !a.startsWith('-'));
  const fromArgs = FLAGS.filter((f) => given.includes(`--${f}`));
  const fromNpm = FLAGS.filter((f) => env[`npm_config_${f}`] === 'true' && !fromArgs.includes(f));
  const flags = [...fromArgs, ...fromNpm];
  const request: Request = {
    exercise: positional[0],
    flag: flags[0],
    flagViaNpm: flags.length > 0 && fromArgs.length === 0,
  };
  if (unknown.length > 0)
    request.problem = `Unknown option ${unknown.join(' ')}. The options are ${FLAGS.map((f) => `--${f}`).join(', ')}.`;
  else if (flags.length > 1)
    request.problem = `One option at a time: ${flags.map((f) => `--${f}`).join(' or ')}.`;
  else if (positional.length > 1)
    request.problem = `One exercise at a time: ${positional.join(' or ')}.`;
  return request;
}

/** What to type for the same request, in the form that keeps working: `npm run check -- 01 --hint`. */
export const typed = (exercise: string | undefined, flag?: Flag) =>
  ['npm run check', ...(flag ? ['--', exercise, `--${flag}`] : [exercise])]
    .filter(Boolean)
    .join(' ');
