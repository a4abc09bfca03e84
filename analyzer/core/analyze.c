/* This file runs every analysis over a linked call graph, in pipeline order,
 * into one new Result. */
#include "core/analyze.h"

#include "core/core_int.h"
#include "util/mem.h"

int analyze_run(const CallGraph *cg, const AnalysisOptions *opt, Result **out)
{
    int rc = -1;
    SccTable st;
    bool st_ok = false;
    bool *no_base = NULL;
    const Target *t = opt->target ? opt->target : target_default();
    AnalysisOptions o = *opt;
    o.target = t;
    Result *r = result_new(cg, t);
    if (!r)
        goto done;
    r->incomplete_inputs = opt->incomplete_inputs;
    if (scc_table_build(cg, &st) != 0)
        goto done;
    st_ok = true;
    for (uint32_t f = 0; f < cg->nfuncs; f++)
        r->funcs[f].scc = st.scc_of[f];
    no_base = mem_calloc(st.nscc ? st.nscc : 1, sizeof *no_base);
    if (!no_base)
        goto done;
    if (recursion_report(cg, &st, r) != 0 || base_check(cg, &st, r, no_base) != 0 ||
        converge_check(cg, &st, no_base, r) != 0 || path_compute(cg, &st, &o, r) != 0 ||
        budget_check(&o, r) != 0)
        goto done;
    result_sort(r);
    *out = r;
    r = NULL;
    rc = 0;
done:
    mem_free(no_base);
    if (st_ok)
        scc_table_fini(&st);
    result_free(r);
    return rc;
}
