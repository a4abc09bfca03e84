/* This file writes the call graph in Graphviz DOT: frames and inclusive
 * worst cases on the nodes, entry worst paths in bold, cycles in red,
 * externals and unresolved calls dashed, calls to inferred pointer targets
 * (possible calls) dotted. */
#include "report.h"

#include <inttypes.h>

#include "util/mem.h"

/* Writes `s` as the inside of a DOT double-quoted string. */
static void put_escaped(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if (*s == '\n') {
            fputs("\\n", out);
            continue;
        }
        fputc(*s, out);
    }
}

static bool is_lower_bound(BoundStatus s) { return s == BOUND_INCOMPLETE || s == BOUND_UNBOUNDED; }

int rpt_write_dot(const Result *r, const ReportOptions *opt, FILE *out)
{
    (void)opt;
    const CallGraph *cg = r->cg;
    bool *on_path = mem_calloc(cg->nedges ? cg->nedges : 1, sizeof *on_path);
    bool *is_entry = mem_calloc(cg->nfuncs ? cg->nfuncs : 1, sizeof *is_entry);
    uint32_t *stamp = mem_alloc_array(cg->nfuncs ? cg->nfuncs : 1, sizeof *stamp);
    if (!on_path || !is_entry || !stamp) {
        mem_free(on_path);
        mem_free(is_entry);
        mem_free(stamp);
        return -1;
    }
    /* Mark the edges of every entry's worst path. */
    for (size_t i = 0; i < r->nentries; i++) {
        const EntryResult *e = &r->entries[i];
        is_entry[e->func] = true;
        PathStep steps[SC_MAX_PATH_STEPS];
        uint32_t nsteps = result_entry_path(r, e, steps);
        for (uint32_t k = 0; k + 1 < nsteps; k++) {
            const CgFunc *from = &cg->funcs[steps[k].func];
            for (uint32_t x = from->edge_begin; x < from->edge_begin + from->nedges; x++) {
                if (cg->edges[x].callee == steps[k + 1].func) {
                    on_path[x] = true;
                    break;
                }
            }
        }
    }

    fputs("digraph \"stackcheck\" {\n", out);
    fputs("  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n", out);
    fputs("  edge [fontname=\"Helvetica\"];\n", out);
    for (uint32_t i = 0; i < cg->nfuncs; i++) {
        const CgFunc *f = &cg->funcs[i];
        const FuncResult *fr = &r->funcs[i];
        fprintf(out, "  f%" PRIu32 " [label=\"", i);
        put_escaped(out, f->name);
        if (f->def) {
            fprintf(out, "\\nframe %" PRIu64 " B%s\\nmax %s%" PRIu64 " B (%s)", fr->frame,
                    fr->dynamic ? " + dynamic" : "", is_lower_bound(fr->status) ? ">= " : "",
                    fr->max_stack, bound_status_name(fr->status));
        } else {
            fputs("\\nexternal", out);
        }
        fputs("\"", out);
        if (!f->def)
            fputs(", shape=ellipse, style=dashed", out);
        else if (fr->recursive)
            fputs(", color=red, style=filled, fillcolor=\"#ffe0e0\"", out);
        if (is_entry[i])
            fputs(", peripheries=2", out);
        fputs("];\n", out);
    }
    /* One arrow per (caller, callee) pair; unresolved calls each get a
     * node of their own. */
    for (uint32_t i = 0; i < cg->nfuncs; i++)
        stamp[i] = CG_NONE;
    for (uint32_t x = 0; x < cg->nedges; x++) {
        const CgEdge *e = &cg->edges[x];
        if (e->callee == CG_NONE) {
            fprintf(out, "  u%" PRIu32 " [label=\"", x);
            put_escaped(out, e->call && e->call->callee_name ? e->call->callee_name : "?");
            fprintf(out, "\\nunresolved\", shape=diamond, style=dashed];\n");
            fprintf(out, "  f%" PRIu32 " -> u%" PRIu32 " [style=dashed];\n", e->caller, x);
            continue;
        }
        /* Edges are grouped by caller, so a repeated (caller, callee) pair
         * shows as the same stamp; the first of a pair carries the path mark. */
        if (stamp[e->callee] == e->caller)
            continue;
        stamp[e->callee] = e->caller;
        bool path = on_path[x];
        bool cycle = r->funcs[e->caller].recursive && r->funcs[e->callee].recursive &&
                     r->funcs[e->caller].scc == r->funcs[e->callee].scc;
        fprintf(out, "  f%" PRIu32 " -> f%" PRIu32, e->caller, e->callee);
        bool possible = !e->certain; /* an inferred pointer target: dotted */
        if (path || cycle || possible || !cg->funcs[e->callee].def) {
            fputs(" [", out);
            const char *sep = "";
            if (path) {
                fputs("penwidth=3", out);
                sep = ", ";
            }
            if (cycle) {
                fprintf(out, "%scolor=red", sep);
                sep = ", ";
            } else if (path) {
                fprintf(out, "%scolor=blue", sep);
                sep = ", ";
            }
            if (!cg->funcs[e->callee].def)
                fprintf(out, "%sstyle=dashed", sep);
            else if (possible)
                fprintf(out, "%sstyle=dotted", sep);
            fputs("]", out);
        }
        fputs(";\n", out);
    }
    fputs("}\n", out);
    mem_free(on_path);
    mem_free(is_entry);
    mem_free(stamp);
    return 0;
}
