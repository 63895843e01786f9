export {
  Bm25Index,
  type Bm25Options,
  type FieldSpec,
  type Query,
  type SearchHit,
  type SearchOptions,
} from "./bm25-index.js";
export { type HighlightOptions, highlight } from "./highlight.js";
export {
  defaultOpsVocabulary,
  expandQuery,
  MAX_EXPANSION_WEIGHT,
  OPS_SYNONYM_CLASSES,
  OpsVocabulary,
  type SynonymClass,
  type SynonymMember,
  type WeightedTerm,
} from "./ops-vocabulary.js";
export {
  assessMatch,
  CONFIDENT_RATIO,
  HIGH_RATIO,
  type MatchAssessment,
  type MatchConfidence,
  type MatchEvidence,
} from "./similarity.js";
export { stem } from "./stem.js";
export { STOPWORDS } from "./stopwords.js";
export { type Analyzer, analyze, type QueryAnalyzer, type Token, tokenize } from "./tokenize.js";
