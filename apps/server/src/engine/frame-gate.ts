/**
 * Holds progress frames (AI tokens, thinking) until the change committed before them has been announced,
 * then lets them through in the order they came, and every later one at once. The storm batch uses it
 * when it folds a stage into the next stage's commit: a client still sees ANALYSING before the tokens.
 */
export class FrameGate {
  private held: (() => void)[] | null = [];

  run(send: () => void): void {
    if (this.held) this.held.push(send);
    else send();
  }

  open(): void {
    const held = this.held;
    this.held = null;
    for (const send of held ?? []) send();
  }
}
