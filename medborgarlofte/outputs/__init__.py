"""The outputs, stages 4–5: every file of the site made as bytes from the finished model. `addresses` declares every
address; `render` the pages and search documents, `feeds` the Atom feeds, `data` and `records` the open data,
`pdf` the PDFs, `export` the sitemap, robots.txt and the finder's index, `national` the view of all 290 kommuner."""
