# Reference values for netter's parametric accelerated-failure-time models (netter/stats/aft.py).
#
# How to run:   cd tests/reference && Rscript aft.R
# Produced with R 4.2.2 (2022-11-10 r83330) and survival 3.5.3; the versions used
# are also written to aft/versions.csv.
#
# Inputs (plain CSV under data/, so that Python reads the identical data):
#   data/lung_aft.csv     written here from survival::lung (all 228 subjects; event =
#                         status == 2, i.e. death; age in years; sex 1 = male, 2 = female)
#   data/ovarian_aft.csv  written here from survival::ovarian (futime, fustat, rx, age)
#   data/aml.csv          written by datasets.R (survival::aml)
#   data/whas500_aft.csv  Worcester Heart Attack Study, 500 subjects (Hosmer, Lemeshow & May),
#                         from ../shared/data/third-party/camis/whas500.sas7bdat (PSIAIMS/CAMIS
#                         repository, data/).  R here cannot read sas7bdat (no haven), and the
#                         CSV export next to it has no AGE, so it was written with pyreadstat:
#     cd tests/reference && ../../.venv/bin/python -c "
#     import pyreadstat
#     d, _ = pyreadstat.read_sas7bdat('../../../shared/data/third-party/camis/whas500.sas7bdat')
#     d = d.rename(columns={'LENFOL': 'time', 'FSTAT': 'event', 'GENDER': 'gender', 'AGE': 'age'})
#     d[['time', 'event', 'gender', 'age']].astype(int).to_csv('data/whas500_aft.csv', index=False)
#     "
#                         (time = LENFOL in days, event = FSTAT, gender 0/1, age in years).
#
# Writes, with full precision (%.17g), the long CSV aft/survreg.csv with columns
#   dataset, formula, dist, term, stat, value
# from survreg(Surv(time, event) ~ <formula>, dist = <dist>,
#              control = survreg.control(rel.tolerance = 1e-12, maxiter = 100)):
#   term "(Intercept)" or a covariate: coef, se (sqrt(diag(vcov))), af = exp(coef), and the
#     Wald limits of exp(coef) at 95% and 90% (exp(confint(fit, level = ...))):
#     af_lower95, af_upper95, af_lower90, af_upper90;
#   term "":  log_scale (log(fit$scale)), log_scale_se (from vcov, row "Log(scale)"),
#     scale, loglik (fit$loglik[2]), loglik0 (fit$loglik[1], the intercept-only model),
#     n, nevent, iter, and warning (1 if survreg warned).
# The tight rel.tolerance makes R converged far beyond the 1e-6 the tests ask for.
suppressPackageStartupMessages(library(survival))

out <- "aft"
dir.create(out, showWarnings = FALSE)
dir.create("data", showWarnings = FALSE)
fmt <- function(x) sprintf("%.17g", as.numeric(x))
ctl <- survreg.control(rel.tolerance = 1e-12, maxiter = 100)

w <- function(df, name) write.csv(df, file.path("data", paste0(name, ".csv")), row.names = FALSE)
w(data.frame(time = lung$time, event = as.integer(lung$status == 2), age = lung$age,
             sex = lung$sex), "lung_aft")
w(data.frame(time = ovarian$futime, event = ovarian$fustat, rx = ovarian$rx,
             age = ovarian$age), "ovarian_aft")

cases <- list(
  list(dataset = "lung_aft", formula = "age + sex"),
  list(dataset = "lung_aft", formula = "1"),
  list(dataset = "ovarian_aft", formula = "rx + age"),
  list(dataset = "whas500_aft", formula = "gender + age"),
  list(dataset = "whas500_aft", formula = "1"),
  list(dataset = "aml", formula = "1")
)
dists <- c("weibull", "lognormal", "loglogistic")

rows <- list()
add <- function(dataset, formula, dist, term, stat, value) {
  rows[[length(rows) + 1]] <<- data.frame(
    dataset = dataset, formula = formula, dist = dist, term = term, stat = stat,
    value = fmt(value), stringsAsFactors = FALSE)
}

for (case in cases) {
  d <- read.csv(file.path("data", paste0(case$dataset, ".csv")), stringsAsFactors = FALSE)
  f <- as.formula(paste("Surv(time, event) ~", case$formula))
  for (dist in dists) {
    warned <- 0
    fit <- withCallingHandlers(
      survreg(f, data = d, dist = dist, control = ctl),
      warning = function(w) { warned <<- 1; invokeRestart("muffleWarning") })
    v <- vcov(fit)
    ci95 <- exp(confint(fit, level = 0.95))
    ci90 <- exp(confint(fit, level = 0.90))
    for (term in names(coef(fit))) {
      add(case$dataset, case$formula, dist, term, "coef", coef(fit)[[term]])
      add(case$dataset, case$formula, dist, term, "se", sqrt(v[term, term]))
      add(case$dataset, case$formula, dist, term, "af", exp(coef(fit)[[term]]))
      add(case$dataset, case$formula, dist, term, "af_lower95", ci95[term, 1])
      add(case$dataset, case$formula, dist, term, "af_upper95", ci95[term, 2])
      add(case$dataset, case$formula, dist, term, "af_lower90", ci90[term, 1])
      add(case$dataset, case$formula, dist, term, "af_upper90", ci90[term, 2])
    }
    add(case$dataset, case$formula, dist, "", "log_scale", log(fit$scale))
    add(case$dataset, case$formula, dist, "", "log_scale_se", sqrt(v["Log(scale)", "Log(scale)"]))
    add(case$dataset, case$formula, dist, "", "scale", fit$scale)
    add(case$dataset, case$formula, dist, "", "loglik", fit$loglik[2])
    add(case$dataset, case$formula, dist, "", "loglik0", fit$loglik[1])
    add(case$dataset, case$formula, dist, "", "n", nrow(d))
    add(case$dataset, case$formula, dist, "", "nevent", sum(d$event))
    add(case$dataset, case$formula, dist, "", "iter", fit$iter)
    add(case$dataset, case$formula, dist, "", "warning", warned)
  }
}

write.csv(do.call(rbind, rows), file.path(out, "survreg.csv"), row.names = FALSE)
write.csv(data.frame(R = R.version.string, survival = as.character(packageVersion("survival"))),
          file.path(out, "versions.csv"), row.names = FALSE)
