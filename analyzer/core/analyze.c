/* This file runs every analysis over a linked call graph, in pipeline order,
 * into one new Result. */
#include "core/analyze.h"

#include <string.h>

#include "core/core_int.h"
#include "util/mem.h"

int analyze_run(const CallGraph *cg, const AnalysisOptions *opt, Result **out)
{
    int rc = -1;
    Cycles cy;
    memset(&cy, 0, sizeof cy);
    bool *no_base = NULL;
    const Target *t = opt->target ? opt->target : target_default();
    AnalysisOptions o = *opt;
    o.target = t;
    Result *r = result_new(cg, t);
    if (!r)
        goto done;
    r->incomplete_inputs = opt->incomplete_inputs;
    if (recursion_report(cg, &cy, r) != 0)
        goto done;
    /* Claims that recursion cannot end rest on certain calls only. */
    no_base = mem_calloc(cy.certain.nscc ? cy.certain.nscc : 1, sizeof *no_base);
    if (!no_base)
        goto done;
    if (base_check(cg, &cy.certain, r, no_base) != 0 || converge_check(cg, &cy.certain, no_base, r) != 0 ||
        path_compute(cg, &cy, &o, r) != 0 || budget_check(&o, r) != 0)
        goto done;
    result_sort(r);
    *out = r;
    r = NULL;
    rc = 0;
done:
    mem_free(no_base);
    cycles_fini(&cy);
    result_free(r);
    return rc;
}
