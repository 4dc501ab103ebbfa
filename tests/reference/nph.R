# Reference values for netter's non-proportional-hazards comparisons (netter.stats.nph,
# the RMST grid and the scaled Schoenfeld residuals of cox.zph).
#
# How to run:   cd tests/reference && Rscript nph.R
# Needs survival and mvtnorm (Debian: r-cran-mvtnorm); the versions used are written to
# nph/versions.csv.  The R package nph is not used: the Fleming-Harrington statistic
# is written out below from survfit quantities (pooled Kaplan-Meier per stratum, its
# left-continuous value S(t-) as weight base), and checked against survdiff(rho = )
# for gamma = 0 before anything is written.
#
# Data: data/lung.csv and data/veteran.csv (datasets.R) and data/netter1_final_os.csv
# (the synthetic NETTER-1 final OS in months, exported by nph_data.py).
#
# Outputs (long CSV, full precision %.17g; columns dataset, strata, method, key, stat,
# value):
#   nph/fh.csv         FH(rho, gamma): u, var, z, p (key "rho,gamma"); for gamma = 0
#                      also survdiff's chisq ("survdiff_chisq")
#   nph/maxcombo.csv   the Z's, their correlation ("corr" key "i|j"), max |Z| and the
#                      p-value 1 - pmvnorm(-m, m, corr) with GenzBretz(maxpts = 1e7,
#                      abseps = 1e-8, releps = 0), set.seed(1)
#   nph/piecewise.csv  coxph on survSplit data with arm x interval indicators
#                      (key "interval k"): coef, se, hr, lower, upper, p
#   nph/rmst.csv       RMST per arm (print(survfit, rmean = tau)) at each tau
#   nph/zph.csv        cox.zph(fit, transform = "km"): per event row i (key i) time, x, y
suppressPackageStartupMessages({
  library(survival)
  library(mvtnorm)
})

out <- "nph"
dir.create(out, showWarnings = FALSE)
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)
fmt <- function(x) sprintf("%.17g", as.numeric(x))

specs <- list(
  lung = list(ref = "male", strata = "ecog", cuts = c(180, 365), taus = c(180, 365, 730)),
  veteran = list(ref = "standard", strata = "celltype", cuts = c(30, 90),
                 taus = c(30, 90, 180, 365)),
  netter1_final_os = list(ref = "Octreotide LAR 60 mg", strata = c("STRAT1R", "STRAT2R"),
                          cuts = c(6, 12, 24), taus = c(12, 24, 36, 48))
)
weights <- list(c(0, 0), c(0, 1), c(1, 0), c(1, 1), c(0.5, 0), c(2, 0), c(0, 0.5),
                c(0.5, 2))

tables <- list(fh = list(), maxcombo = list(), piecewise = list(), rmst = list(),
               zph = list())
add <- function(tab, dataset, strata, method, key, stat, value) {
  tables[[tab]][[length(tables[[tab]]) + 1]] <<- data.frame(
    dataset = dataset, strata = strata, method = method, key = key, stat = stat,
    value = fmt(value), stringsAsFactors = FALSE)
}

# Fleming-Harrington u and its variance for several weights at once, summed over strata.
# Returns u (vector over weights) and V (covariance matrix of the u's).
fh_scores <- function(d, arm, wts, svars) {
  st <- if (length(svars)) interaction(d[svars], drop = TRUE) else factor(rep(1, nrow(d)))
  k <- length(wts)
  u <- numeric(k)
  V <- matrix(0, k, k)
  for (s in levels(st)) {
    ds <- d[st == s, ]
    fit <- survfit(Surv(time, event) ~ 1, data = ds)
    keep <- fit$n.event > 0
    tt <- fit$time[keep]
    n <- fit$n.risk[keep]
    dd <- fit$n.event[keep]
    sleft <- c(1, fit$surv)[which(keep)]  # S(t-): the curve just before each event time
    n1 <- sapply(tt, function(t) sum(ds$time >= t & ds$group == arm))
    d1 <- sapply(tt, function(t) sum(ds$time == t & ds$event == 1 & ds$group == arm))
    share <- n1 / n
    v <- ifelse(n > 1, dd * (n - dd) / pmax(n - 1, 1), 0) * share * (1 - share)
    W <- sapply(wts, function(w) sleft^w[1] * (1 - sleft)^w[2])
    W <- matrix(W, nrow = length(tt))
    u <- u + colSums(W * (d1 - dd * share))
    V <- V + t(W) %*% (W * v)
  }
  list(u = u, V = V)
}

for (name in names(specs)) {
  sp <- specs[[name]]
  d <- read.csv(file.path("data", paste0(name, ".csv")), stringsAsFactors = FALSE)
  d$group <- relevel(factor(d$group), ref = sp$ref)
  arm <- setdiff(levels(d$group), sp$ref)
  for (sv in list(character(0), sp$strata)) {
    sname <- paste(sv, collapse = "+")
    sterm <- if (length(sv)) paste0(" + strata(", paste(sv, collapse = ", "), ")") else ""

    # FH tests
    sc <- fh_scores(d, arm, weights, sv)
    for (i in seq_along(weights)) {
      w <- weights[[i]]
      key <- paste(w, collapse = ",")
      z <- sc$u[i] / sqrt(sc$V[i, i])
      add("fh", name, sname, "fh", key, "u", sc$u[i])
      add("fh", name, sname, "fh", key, "var", sc$V[i, i])
      add("fh", name, sname, "fh", key, "z", z)
      add("fh", name, sname, "fh", key, "p", 2 * pnorm(-abs(z)))
      if (w[2] == 0) {
        sd <- survdiff(as.formula(paste("Surv(time, event) ~ group", sterm)), data = d,
                       rho = w[1])
        # the hand-written statistic must be survdiff's
        stopifnot(abs(sd$chisq - z^2) < 1e-10 * max(1, sd$chisq))
        add("fh", name, sname, "fh", key, "survdiff_chisq", sd$chisq)
      }
    }

    # MaxCombo of FH(0,0), FH(0,1), FH(1,0), FH(1,1)
    mc <- fh_scores(d, arm, weights[1:4], sv)
    z <- mc$u / sqrt(diag(mc$V))
    corr <- mc$V / sqrt(outer(diag(mc$V), diag(mc$V)))
    m <- max(abs(z))
    set.seed(1)
    pr <- pmvnorm(lower = rep(-m, 4), upper = rep(m, 4), corr = corr,
                  algorithm = GenzBretz(maxpts = 1e7, abseps = 1e-8, releps = 0))
    for (i in 1:4) {
      add("maxcombo", name, sname, "maxcombo", paste(weights[[i]], collapse = ","), "z", z[i])
      for (j in 1:4) add("maxcombo", name, sname, "maxcombo", paste0(i, "|", j), "corr",
                         corr[i, j])
    }
    add("maxcombo", name, sname, "maxcombo", "", "max_abs_z", m)
    add("maxcombo", name, sname, "maxcombo", "", "p", 1 - pr)
    add("maxcombo", name, sname, "maxcombo", "", "p_error", attr(pr, "error"))

    # piecewise hazard ratios: survSplit at the cuts, one arm indicator per interval
    for (ties in c("efron", "breslow")) {
      sp_d <- survSplit(Surv(time, event) ~ ., data = d, cut = sp$cuts, episode = "tgroup")
      k <- length(sp$cuts) + 1
      xs <- character(0)
      for (j in 1:k) {
        nm <- paste0("x", j)
        sp_d[[nm]] <- as.numeric(sp_d$group == arm & sp_d$tgroup == j)
        xs <- c(xs, nm)
      }
      f <- as.formula(paste("Surv(tstart, time, event) ~", paste(xs, collapse = " + "), sterm))
      fit <- suppressWarnings(coxph(f, data = sp_d, ties = ties, control = ctl))
      b <- coef(fit)
      se <- sqrt(diag(vcov(fit)))
      for (j in 1:k) {
        key <- paste("interval", j)
        add("piecewise", name, sname, ties, key, "events",
            sum(sp_d$event[sp_d$tgroup == j]))
        add("piecewise", name, sname, ties, key, "coef", b[j])
        add("piecewise", name, sname, ties, key, "se", se[j])
        add("piecewise", name, sname, ties, key, "hr", exp(b[j]))
        add("piecewise", name, sname, ties, key, "lower", exp(b[j] - qnorm(0.975) * se[j]))
        add("piecewise", name, sname, ties, key, "upper", exp(b[j] + qnorm(0.975) * se[j]))
        add("piecewise", name, sname, ties, key, "p", 2 * pnorm(-abs(b[j] / se[j])))
      }
    }

    # scaled Schoenfeld residuals of the arm model's cox.zph (km transform)
    for (ties in c("efron", "breslow")) {
      fit <- coxph(as.formula(paste("Surv(time, event) ~ group", sterm)), data = d,
                   ties = ties, control = ctl)
      zp <- cox.zph(fit, transform = "km")
      for (i in seq_along(zp$time)) {
        add("zph", name, sname, ties, i, "time", zp$time[i])
        add("zph", name, sname, ties, i, "x", zp$x[i])
        add("zph", name, sname, ties, i, "y", zp$y[i, 1])
      }
      add("zph", name, sname, ties, "", "chisq", zp$table["GLOBAL", "chisq"])
      add("zph", name, sname, ties, "", "p", zp$table["GLOBAL", "p"])
    }
  }

  # RMST per arm at each tau (unstratified)
  fit <- survfit(Surv(time, event) ~ group, data = d)
  for (tau in sp$taus) {
    tab <- summary(fit, rmean = tau)$table
    for (g in levels(d$group)) {
      row <- paste0("group=", g)
      add("rmst", name, "", "rmst", paste(g, tau, sep = "|"), "rmean", tab[row, "rmean"])
      add("rmst", name, "", "rmst", paste(g, tau, sep = "|"), "se", tab[row, "se(rmean)"])
    }
  }
}

for (tab in names(tables)) {
  write.csv(do.call(rbind, tables[[tab]]), file.path(out, paste0(tab, ".csv")),
            row.names = FALSE)
}
write.csv(data.frame(
  package = c("R", "survival", "mvtnorm"),
  version = c(R.version.string, as.character(packageVersion("survival")),
              as.character(packageVersion("mvtnorm")))),
  file.path(out, "versions.csv"), row.names = FALSE)
