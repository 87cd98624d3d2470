/** One finished trial: the chosen index of each categorical parameter and its score (higher is better). */
export interface TpeTrial {
  params: number[];
  value: number;
}

/** Settings of {@link TpeSampler}; the defaults are Optuna's TPESampler defaults. */
export interface TpeOptions {
  /** Number of choices of each categorical parameter. */
  choices: number[];
  /** Random draws before the model is used (Optuna `n_startup_trials`). @default 10 */
  startupTrials?: number;
  /** Candidates drawn from l(x) per suggestion (Optuna `n_ei_candidates`). @default 24 */
  eiCandidates?: number;
  /** Weight of the uniform prior kernel (Optuna `prior_weight`). @default 1 */
  priorWeight?: number;
}

/**
 * Optuna's default split of "good" trials: the best ceil(0.1·n), at most 25
 * (optuna/samplers/_tpe/sampler.py `default_gamma`).
 */
function gamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Optuna's `default_weights`: equal weights up to 25 observations, older ones ramped down beyond
 * (optuna/samplers/_tpe/sampler.py).
 */
function observationWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => 1 / n + ((1 - 1 / n) * i) / (n - 26 || 1));
  return [...ramp, ...Array.from({ length: 25 }, () => 1)];
}

/**
 * A multivariate Parzen estimator over categorical parameters, as Optuna builds it
 * (optuna/samplers/_tpe/parzen_estimator.py `_calculate_categorical_distributions`): one kernel per
 * observation putting weight 1 + prior/k on the observed choice and prior/k on every other, plus a
 * uniform prior kernel; a joint point's density is the weighted mix of the per-kernel products.
 */
class CategoricalParzen {
  readonly #kernels: number[][][];
  readonly #weights: number[];

  constructor(observations: number[][], choices: number[], priorWeight: number) {
    const k = observations.length + 1;
    this.#kernels = [
      ...observations.map((obs) =>
        choices.map((n, d) => {
          const row = Array.from({ length: n }, () => priorWeight / k);
          row[obs[d]!]! += 1;
          const sum = row.reduce((a, b) => a + b, 0);
          return row.map((w) => w / sum);
        }),
      ),
      choices.map((n) => Array.from({ length: n }, () => 1 / n)),
    ];
    const w = [...observationWeights(observations.length), priorWeight];
    const total = w.reduce((a, b) => a + b, 0);
    this.#weights = w.map((x) => x / total);
  }

  sample(random: () => number): number[] {
    const kernel = this.#kernels[pick(this.#weights, random)]!;
    return kernel.map((row) => pick(row, random));
  }

  logDensity(point: number[]): number {
    let density = 0;
    this.#kernels.forEach((kernel, i) => {
      density += this.#weights[i]! * kernel.reduce((p, row, d) => p * row[point[d]!]!, 1);
    });
    return Math.log(density);
  }
}

function pick(weights: number[], random: () => number): number {
  let r = random();
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/**
 * The Tree-structured Parzen Estimator for categorical search spaces, as DSPy's MIPROv2 uses it
 * (`optuna.samplers.TPESampler(seed=seed, multivariate=True)`): random draws for the first
 * `startupTrials` trials, then `eiCandidates` draws from the density of the good trials l(x), keeping
 * the one with the highest l(x)/g(x) (Bergstra et al. 2011, "Algorithms for Hyper-Parameter
 * Optimization"). Seeded through the `random` it is given.
 */
export class TpeSampler {
  readonly #choices: number[];
  readonly #startup: number;
  readonly #candidates: number;
  readonly #prior: number;
  readonly #random: () => number;
  readonly trials: TpeTrial[] = [];

  constructor(options: TpeOptions, random: () => number) {
    this.#choices = options.choices;
    this.#startup = options.startupTrials ?? 10;
    this.#candidates = options.eiCandidates ?? 24;
    this.#prior = options.priorWeight ?? 1;
    this.#random = random;
  }

  /** Records a finished trial (suggested or added from outside, as DSPy adds the default program and full evaluations). */
  tell(trial: TpeTrial): void {
    this.trials.push(trial);
  }

  /** The next point to evaluate: an index per parameter. */
  suggest(): number[] {
    if (this.trials.length < this.#startup)
      return this.#choices.map((n) => Math.floor(this.#random() * n));
    const sorted = [...this.trials].sort((a, b) => b.value - a.value);
    const nBelow = gamma(sorted.length);
    const below = new CategoricalParzen(
      sorted.slice(0, nBelow).map((t) => t.params),
      this.#choices,
      this.#prior,
    );
    const above = new CategoricalParzen(
      sorted.slice(nBelow).map((t) => t.params),
      this.#choices,
      this.#prior,
    );
    let best: number[] = below.sample(this.#random);
    let bestGain = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.#candidates; i++) {
      const point = i === 0 ? best : below.sample(this.#random);
      const gain = below.logDensity(point) - above.logDensity(point);
      if (gain > bestGain) [best, bestGain] = [point, gain];
    }
    return best;
  }
}
