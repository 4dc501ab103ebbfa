# Reference values for netter's weighted, counting-process Cox engine
# (netter.stats.weighted_cox.fit_weighted_cox): coxph with case weights, (start, stop]
# data, strata, and the robust (sandwich) variance, in base R + survival.
#
# How to run:   cd tests/reference && Rscript weighted_cox.R
# Produced with R 4.2.2 and survival 3.5.3 (versions written to weighted_cox/versions.csv).
#
# Inputs
#   data/whas500/whas_export.csv  WHAS500 (see data/whas500/SOURCE.md), right-censored.
#   The counting-process data set "cp60" is built here, deterministically (no random
#   numbers): 60 subjects, integer times 1-12 (many ties), 1-3 (start, stop] rows each split
#   at days 3 and 7, some with delayed entry at day 1, a 0/1 arm, a covariate z that changes
#   between a subject's rows, weights that change between rows, two strata.
# Both analysis data sets, with every weight used, are written to weighted_cox/inputs/
# (whas.csv, cp60.csv) so that the Python tests read exactly what R fitted.
#
# Cases (weighted_cox/coxph.csv: columns case, ties, term, stat, value, %.17g), each fitted
# with ties = "efron" and "breslow", robust = TRUE:
#   whas_gender          Surv(time, event) ~ gender, weights w (0.5 + (row - 1) %% 7 / 4);
#                        no cluster: each row its own cluster (R robust = TRUE)
#   whas_gender_afb      ~ gender + afb (two covariates)
#   whas_gender_strata   ~ gender + strata(afb)
#   whas_lefttrunc       Surv(entry, time, event) ~ gender, delayed entry, + cluster(row)
#   whas_zero            ~ gender with weights w0 (w with every 9th row set to 0)
#   cp60_arm             Surv(start, stop, event) ~ arm + cluster(id), weights w
#   cp60_arm_strata      ~ arm + strata(stratum) + cluster(id)
#   cp60_arm_z           ~ arm + z + cluster(id)
#   cp60_arm_z_strata    ~ arm + z + strata(stratum) + cluster(id)
#   cp60_zero            ~ arm + z + cluster(id), weights w0 (some rows 0)
# R refuses zero weights ("Invalid weights, must be >0"), so the *_zero cases fit the rows
# with a positive weight; netter fits all rows, its zero-weight rows contributing nothing.
# Stats: coef, se (model-based, sqrt(diag(fit$naive.var))), se_robust (sqrt(diag(fit$var))),
# loglik0, loglik (fit$loglik), n, nevent, iter, warning (1 if coxph warned).
# coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100): converged far beyond the
# 1e-8 the tests ask for.
suppressPackageStartupMessages(library(survival))

out <- "weighted_cox"
inputs <- file.path(out, "inputs")
dir.create(inputs, showWarnings = FALSE, recursive = TRUE)
fmt <- function(x) sprintf("%.17g", as.numeric(x))
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)

# ---- WHAS500 -------------------------------------------------------------------------
raw <- read.csv(file.path("data", "whas500", "whas_export.csv"))
row <- seq_len(nrow(raw))
whas <- data.frame(row = row, time = raw$LENFOL, event = as.integer(raw$FSTAT),
                   gender = as.integer(raw$GENDER), afb = as.integer(raw$AFB))
whas$w <- 0.5 + ((row - 1) %% 7) / 4
whas$w0 <- ifelse(row %% 9 == 0, 0, whas$w)
# delayed entry: 0, 30, 60, 90 or 120 days, kept only when before the end of follow-up
entry <- 30 * ((row - 1) %% 5)
whas$entry <- ifelse(entry < whas$time, entry, 0)
write.csv(whas, file.path(inputs, "whas.csv"), row.names = FALSE)

# ---- cp60: counting-process data with ties ---------------------------------------------
rows <- list()
for (id in 1:60) {
  total <- 2 + (id * 7) %% 11                 # follow-up 2..12 days
  event <- as.integer(id %% 3 != 0)           # event at the end of the last row
  entry <- if (id %% 4 == 0) 1 else 0
  cuts <- c(3, 7)[seq_len(id %% 3)]           # 0, 1 or 2 split points
  cuts <- cuts[cuts > entry & cuts < total]
  bounds <- c(entry, cuts, total)
  k <- length(bounds) - 1
  for (j in seq_len(k)) {
    rows[[length(rows) + 1]] <- data.frame(
      id = id, start = bounds[j], stop = bounds[j + 1],
      event = if (j == k) event else 0L,
      arm = id %% 2,
      z = ((id * 13 + j * 7) %% 17) / 4 - 2,
      w = 0.5 + ((id + 3 * j) %% 5) / 4,
      stratum = if (id <= 30) "s1" else "s2",
      stringsAsFactors = FALSE)
  }
}
cp60 <- do.call(rbind, rows)
cp60$w0 <- ifelse(seq_len(nrow(cp60)) %% 7 == 3, 0, cp60$w)
write.csv(cp60, file.path(inputs, "cp60.csv"), row.names = FALSE)

# ---- fits --------------------------------------------------------------------------------
results <- list()
add <- function(case, ties, term, stat, value) {
  results[[length(results) + 1]] <<- data.frame(case = case, ties = ties, term = term,
                                                stat = stat, value = fmt(value),
                                                stringsAsFactors = FALSE)
}

fit_case <- function(case, formula, data, weights) {
  data$.w <- data[[weights]]
  data <- data[data$.w > 0, ]
  for (ties in c("efron", "breslow")) {
    warned <- 0
    fit <- withCallingHandlers(
      coxph(formula, data = data, weights = .w, ties = ties, robust = TRUE, control = ctl),
      warning = function(w) { warned <<- 1; invokeRestart("muffleWarning") })
    se <- sqrt(diag(fit$naive.var))
    se_robust <- sqrt(diag(fit$var))
    for (i in seq_along(fit$coefficients)) {
      term <- names(fit$coefficients)[i]
      add(case, ties, term, "coef", fit$coefficients[i])
      add(case, ties, term, "se", se[i])
      add(case, ties, term, "se_robust", se_robust[i])
    }
    add(case, ties, "", "loglik0", fit$loglik[1])
    add(case, ties, "", "loglik", fit$loglik[2])
    add(case, ties, "", "n", fit$n)
    add(case, ties, "", "nevent", fit$nevent)
    add(case, ties, "", "iter", fit$iter)
    add(case, ties, "", "warning", warned)
  }
}

fit_case("whas_gender", Surv(time, event) ~ gender, whas, "w")
fit_case("whas_gender_afb", Surv(time, event) ~ gender + afb, whas, "w")
fit_case("whas_gender_strata", Surv(time, event) ~ gender + strata(afb), whas, "w")
fit_case("whas_lefttrunc", Surv(entry, time, event) ~ gender + cluster(row), whas, "w")
fit_case("whas_zero", Surv(time, event) ~ gender, whas, "w0")
fit_case("cp60_arm", Surv(start, stop, event) ~ arm + cluster(id), cp60, "w")
fit_case("cp60_arm_strata", Surv(start, stop, event) ~ arm + strata(stratum) + cluster(id),
         cp60, "w")
fit_case("cp60_arm_z", Surv(start, stop, event) ~ arm + z + cluster(id), cp60, "w")
fit_case("cp60_arm_z_strata",
         Surv(start, stop, event) ~ arm + z + strata(stratum) + cluster(id), cp60, "w")
fit_case("cp60_zero", Surv(start, stop, event) ~ arm + z + cluster(id), cp60, "w0")

write.csv(do.call(rbind, results), file.path(out, "coxph.csv"), row.names = FALSE)
write.csv(data.frame(R = R.version.string, survival = as.character(packageVersion("survival"))),
          file.path(out, "versions.csv"), row.names = FALSE)
