# Reference values for netter's between-arm comparisons (log-rank, Cox, cox.zph).
#
# How to run:   cd tests/reference && Rscript comparisons.R
# Produced with R 4.2.2 (2022-11-10 r83330) and survival 3.5.3; the versions used
# are also written to comparisons/versions.csv.
#
# Reads data/*.csv (exported by datasets.R) and the hand-made cases in
# comparisons/inputs/*.csv, and writes, with full precision (%.17g), long CSV files
#   comparisons/survdiff.csv  survdiff(Surv(time, event) ~ group [+ strata(...)])
#   comparisons/coxph.csv     coxph(... , ties = "efron" | "breslow") and summary()
#   comparisons/zph.csv       cox.zph(fit, transform = km | identity | rank | log,
#                                     terms = TRUE | FALSE)
# with columns dataset, strata, ties, transform, terms, term, stat, value.
# `strata` is "" (unstratified) or the stratum variables joined by "+"; a failed or
# undefined quantity is written as NA (a warning from coxph is recorded as stat
# "warning" = 1).  Cox fits use coxph.control(eps = 1e-12, iter.max = 100) so that
# R is converged far beyond the 1e-6 the tests ask for.
suppressPackageStartupMessages(library(survival))

out <- "comparisons"
inputs <- file.path(out, "inputs")
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)
fmt <- function(x) sprintf("%.17g", as.numeric(x))

hand <- c("hand8", "noevents_arm", "noevents_all", "single_stratum", "all_tied",
          "monotone_late", "three_arm_noevents")
specs <- list(
  lung = list(ref = "male", strata = list("ecog", c("ecog", "inst"))),
  lung_months = list(ref = "male", strata = list("ecog")),
  veteran = list(ref = "standard", strata = list("celltype", c("celltype", "prior"))),
  aml = list(ref = "Maintained", strata = list()),
  ovarian = list(ref = "A", strata = list("resid", c("resid", "ecog"))),
  colon_death = list(ref = "Obs", strata = list("sex", c("sex", "differ")))
)
for (h in hand) specs[[h]] <- list(ref = "A", strata = list("stratum"))

read_case <- function(name) {
  path <- if (name %in% hand) file.path(inputs, paste0(name, ".csv")) else
    file.path("data", paste0(name, ".csv"))
  read.csv(path, stringsAsFactors = FALSE)
}

rows <- list()
add <- function(dataset, strata, ties, transform, terms, term, stat, value) {
  rows[[length(rows) + 1]] <<- data.frame(
    dataset = dataset, strata = strata, ties = ties, transform = transform,
    terms = terms, term = term, stat = stat, value = fmt(value),
    stringsAsFactors = FALSE)
}

model_formula <- function(svars) {
  rhs <- "group"
  if (length(svars)) rhs <- paste0(rhs, " + strata(", paste(svars, collapse = ", "), ")")
  as.formula(paste("Surv(time, event) ~", rhs))
}

do_survdiff <- function(d, name, sname, f) {
  sd <- tryCatch(suppressWarnings(survdiff(f, data = d)), error = function(e) NULL)
  if (is.null(sd)) return(invisible())
  lev <- sub("^group=", "", names(sd$n))
  obs <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
  ex <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  for (i in seq_along(lev)) {
    add(name, sname, "", "", "", lev[i], "n", sd$n[i])
    add(name, sname, "", "", "", lev[i], "observed", obs[i])
    add(name, sname, "", "", "", lev[i], "expected", ex[i])
    for (j in seq_along(lev))
      add(name, sname, "", "", "", paste0(lev[i], "|", lev[j]), "var", sd$var[i, j])
  }
  add(name, sname, "", "", "", "", "chisq", sd$chisq)
  add(name, sname, "", "", "", "", "df", sum(ex > 0) - 1)
  add(name, sname, "", "", "", "", "p", sd$pvalue)
}

do_zph <- function(fit, name, sname, ties) {
  for (tr in c("km", "identity", "rank", "log")) for (terms in c(TRUE, FALSE)) {
    z <- tryCatch(suppressWarnings(cox.zph(fit, transform = tr, terms = terms)),
                  error = function(e) NULL)
    if (is.null(z)) next
    tab <- z$table
    for (r in rownames(tab)) for (s in colnames(tab))
      add(name, sname, ties, tr, if (terms) "terms" else "coef",
          if (terms) r else sub("^group", "", r), s, tab[r, s])
  }
}

do_coxph <- function(d, name, sname, f, ties) {
  warned <- 0
  fit <- withCallingHandlers(
    tryCatch(coxph(f, data = d, ties = ties, control = ctl), error = function(e) NULL),
    warning = function(w) { warned <<- 1; invokeRestart("muffleWarning") })
  if (is.null(fit)) return(invisible())
  s <- summary(fit)
  s90 <- summary(fit, conf.int = 0.90)
  co <- s$coefficients
  for (r in rownames(co)) {
    arm <- sub("^group", "", r)
    add(name, sname, ties, "", "", arm, "coef", co[r, "coef"])
    add(name, sname, ties, "", "", arm, "hr", co[r, "exp(coef)"])
    add(name, sname, ties, "", "", arm, "se", co[r, "se(coef)"])
    add(name, sname, ties, "", "", arm, "z", co[r, "z"])
    add(name, sname, ties, "", "", arm, "p", co[r, "Pr(>|z|)"])
    add(name, sname, ties, "", "", arm, "lower95", s$conf.int[r, 3])
    add(name, sname, ties, "", "", arm, "upper95", s$conf.int[r, 4])
    add(name, sname, ties, "", "", arm, "lower90", s90$conf.int[r, 3])
    add(name, sname, ties, "", "", arm, "upper90", s90$conf.int[r, 4])
  }
  df <- length(fit$coefficients)
  add(name, sname, ties, "", "", "", "loglik0", fit$loglik[1])
  add(name, sname, ties, "", "", "", "loglik", fit$loglik[2])
  add(name, sname, ties, "", "", "", "wald", fit$wald.test)
  add(name, sname, ties, "", "", "", "wald_p", pchisq(fit$wald.test, df, lower.tail = FALSE))
  add(name, sname, ties, "", "", "", "lr", s$logtest["test"])
  add(name, sname, ties, "", "", "", "lr_p", s$logtest["pvalue"])
  add(name, sname, ties, "", "", "", "score", s$sctest["test"])
  add(name, sname, ties, "", "", "", "score_p", s$sctest["pvalue"])
  add(name, sname, ties, "", "", "", "df", df)
  add(name, sname, ties, "", "", "", "iter", fit$iter)
  add(name, sname, ties, "", "", "", "n", fit$n)
  add(name, sname, ties, "", "", "", "nevent", fit$nevent)
  add(name, sname, ties, "", "", "", "warning", warned)
  do_zph(fit, name, sname, ties)
}

for (name in names(specs)) {
  d <- read_case(name)
  d$group <- relevel(factor(d$group), ref = specs[[name]]$ref)
  for (svars in c(list(character(0)), specs[[name]]$strata)) {
    sname <- paste(svars, collapse = "+")
    f <- model_formula(svars)
    do_survdiff(d, name, sname, f)
    for (ties in c("efron", "breslow")) do_coxph(d, name, sname, f, ties)
  }
}

all_rows <- do.call(rbind, rows)
kind <- ifelse(all_rows$ties == "", "survdiff", ifelse(all_rows$transform == "", "coxph", "zph"))
for (k in c("survdiff", "coxph", "zph"))
  write.csv(all_rows[kind == k, ], file.path(out, paste0(k, ".csv")), row.names = FALSE)
write.csv(data.frame(R = R.version.string, survival = as.character(packageVersion("survival"))),
          file.path(out, "versions.csv"), row.names = FALSE)
