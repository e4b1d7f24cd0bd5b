// A notebook asserts the claims its text makes: claim(holds, sentence) prints the sentence with a
// tick when this run bears it out and throws when it does not, so the notebook (and CI) fails the
// moment a claim the page makes stops holding.

export class ClaimFailed extends Error {
  constructor(
    readonly claim: string,
    readonly evidence?: unknown,
  ) {
    super(
      `This run does not bear out the claim: ${claim}` +
        (evidence === undefined ? '' : `\nevidence: ${JSON.stringify(evidence)}`),
    );
    this.name = 'ClaimFailed';
  }
}

/** Asserts one claim of the text about this run; `evidence` is shown when it fails. */
export function claim(holds: boolean, sentence: string, evidence?: unknown): void {
  if (!holds) throw new ClaimFailed(sentence, evidence);
  console.log(`✓ ${sentence}`);
}
