// Cold import baseline: an app's own (empty) ES module, which every Node app pays for.
export {}
