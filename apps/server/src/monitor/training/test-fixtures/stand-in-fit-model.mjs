// TEST FIXTURE: a stand-in for the engine's `fitModel` (monitor/engine/fit-model.ts), used by
// training-service.integration.test.ts. Plain JavaScript so the compiled training worker can
// import it from the sources. Behaviour comes from the base model's params:
//   epochMs: busy-wait per epoch (a synchronous fit, as the engine's is)
//   fail: throw an Error with this message after the first epoch
export function fitModel(history, base, opts) {
  const { epochMs = 0, fail } = base.params;
  let samples = 0;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    // One pass over the history per epoch: the history must be iterable again and again.
    let pass = 0;
    for (const _record of history) pass++;
    if (epoch > 1 && pass !== samples) throw new Error(`epoch ${epoch} saw ${pass} samples, not ${samples}`);
    samples = pass;
    const until = Date.now() + epochMs;
    while (Date.now() < until) {
      // spin: a synchronous fit never yields to the event loop
    }
    opts.onProgress?.({ epoch, totalEpochs: opts.epochs, loss: 1 / epoch });
    if (fail) throw new Error(fail);
  }
  const first = history[Symbol.iterator]().next().value;
  return {
    name: base.name,
    version: base.version + 1,
    created: base.created,
    params: { ...base.params, samples, incremental: opts.incremental, first },
  };
}
