#ifndef RAG_CPOPPLER_SHIM_H
#define RAG_CPOPPLER_SHIM_H
// poppler's GLib API (libpoppler-glib-dev), plus the one helper Swift cannot write well:
// reading a C union (PopplerAction) to find which page an outline entry points at.
#include <poppler.h>

/// The 1-based page an outline entry's action goes to, or 0 when it goes nowhere in this document
/// (a URI, another file, a destination name that does not resolve).
static inline int rag_poppler_action_page(PopplerDocument *document, PopplerAction *action) {
    if (action == NULL || action->type != POPPLER_ACTION_GOTO_DEST || action->goto_dest.dest == NULL) return 0;
    PopplerDest *dest = action->goto_dest.dest;
    if (dest->type == POPPLER_DEST_NAMED) {
        PopplerDest *named = poppler_document_find_dest(document, dest->named_dest);
        if (named == NULL) return 0;
        int page = named->page_num;
        poppler_dest_free(named);
        return page > 0 ? page : 0;
    }
    return dest->page_num > 0 ? dest->page_num : 0;
}

/// An action's title (an outline entry's text), or NULL.
static inline const char *rag_poppler_action_title(PopplerAction *action) {
    return action == NULL ? NULL : action->any.title;
}

#endif
