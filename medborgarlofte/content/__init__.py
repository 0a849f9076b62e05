"""The content side, stages 1–3 of DESIGN.md: `load` reads the files with the line of every value, `schema` and
`validate` check them (every problem in Swedish, at its file and line), `model` turns them into the domain the
outputs show. `registry` holds the 290 kommuner and 21 län; `status` the statuses and their words; `vocabulary` the
ansvar and a promise's states with theirs."""
