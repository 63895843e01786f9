/**
 * English function words plus unit/log filler. Deliberately NOT stopped because they carry ops
 * meaning: not, no, down, up, out, off, over, under, high, low, full, all, any, none. Filler verbs
 * of spoken reports ("keeps going down") are stopped: the state words carry the meaning.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a an the and or but if then else when while of at by for with about against between into through
  during before after above below to from in on onto than too very so such only own same both each
  few more most other some nor is are was were be been being am has have had having do does did doing
  would should could can may might must shall will just also yet ever again further once here
  there where why how what which who whom whose this that these those it its itself they them their
  theirs themselves we us our ours you your yours he him his she her hers i me my mine myself as via
  per etc eg ie because until upon within without let lets get gets got getting
  go goes going gone went keep keeps kept seem seems seemed look looks like really still
  ms ns kb mb gb tb kib mib gib tib ki mi gi ti`
    .split(/\s+/)
    .filter(Boolean),
);
