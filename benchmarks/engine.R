# The R survival loop the batched engine is measured against (benchmarks/engine.py).
#
#   Rscript benchmarks/engine.R TRIALS.csv OUT.csv
#
# TRIALS.csv: trial, time, event, arm, stratum (one row per subject). For each trial in
# turn: survdiff(Surv(time, event) ~ arm + strata(stratum)) and
# coxph(Surv(time, event) ~ arm + strata(stratum), ties = "efron"), as a user of R would
# loop over simulated trials. Writes each trial's chi-square and hazard ratio (for the
# agreement check) and prints the loop's elapsed seconds.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$arm <- factor(d$arm, levels = c(1, 0))   # reference (1) first: HR of arm 0 vs arm 1
trials <- split(d, d$trial)
out <- data.frame(trial = as.integer(names(trials)), chisq = NA_real_, hr = NA_real_)
elapsed <- system.time({
  for (i in seq_along(trials)) {
    t <- trials[[i]]
    lr <- tryCatch(survdiff(Surv(time, event) ~ arm + strata(stratum), data = t),
                   error = function(e) NULL)
    fit <- tryCatch(suppressWarnings(coxph(Surv(time, event) ~ arm + strata(stratum),
                                           data = t, ties = "efron")),
                    error = function(e) NULL)
    if (!is.null(lr)) out$chisq[i] <- lr$chisq
    if (!is.null(fit)) out$hr[i] <- exp(coef(fit))[[1]]
  }
})[["elapsed"]]
write.csv(out, args[2], row.names = FALSE)
cat(sprintf("%.3f\n", elapsed))
