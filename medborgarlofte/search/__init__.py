"""Stage 6, the search index: `index` runs Pagefind over the search documents; `reproducible` is the one module that
knows Pagefind's file formats, to make the index the same in every build."""
