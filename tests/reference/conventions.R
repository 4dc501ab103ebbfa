# Reference values for the profile options (netter.profiles, docs/methods.md
# "Conventions and options"): where R, SAS and lifelines disagree, R's value computed
# here and SAS's value as published (CAMIS) or by hand with SAS's documented formula.
#
# How to run:   cd tests/reference && Rscript conventions.R
# Written with R 3.5.3 and survival (version in conventions/versions.csv).
# Writes conventions/values.csv: case, quantity, source, value (%.17g; NA = not
# estimable / not reported).  `source`: "R" (an R function, named in the comment of
# each block), "hand" (SAS's documented formula evaluated in base R), "SAS" (a number
# SAS printed, copied from the CAMIS pages named below).
suppressPackageStartupMessages(library(survival))
out <- "conventions"
dir.create(out, showWarnings = FALSE)
rows <- list()
add <- function(case, quantity, source, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, source = source,
                                           value = sprintf("%.17g", as.numeric(value)))
}

# (a), (b) CAMIS "R vs SAS - Kaplan Meier" (Comp/r-sas_survival.qmd), "Other cases":
# 10 subjects, 5 events then 5 censored; S(t) = 0.5 from 87 to the censored end 118.
camis10 <- data.frame(time = c(54, 75, 77, 84, 87, 92, 103, 105, 112, 118),
                      status = c(1, 1, 1, 1, 1, 0, 0, 0, 0, 0))
write.csv(camis10, file.path(out, "camis10.csv"), row.names = FALSE)
fit <- survfit(Surv(time, status) ~ 1, data = camis10, conf.type = "log-log")
q <- quantile(fit, probs = c(0.25, 0.5, 0.75))
for (i in 1:3) {
  p <- c("q25", "median", "q75")[i]
  add("camis10", p, "R", q$quantile[i])            # quantile.survfit: median 102.5
  add("camis10", paste0(p, "_lower"), "R", q$lower[i])
  add("camis10", paste0(p, "_upper"), "R", q$upper[i])
}
add("camis10", "median", "SAS", NA)                  # CAMIS: SAS LIFETEST prints NE
s <- summary(fit, times = c(80, 100, 120), extend = TRUE)
for (i in seq_along(s$time)) {
  add("camis10", paste0("surv_", s$time[i]), "R", s$surv[i])
  add("camis10", paste0("lower_", s$time[i]), "R", s$lower[i])
  add("camis10", paste0("upper_", s$time[i]), "R", s$upper[i])
  add("camis10", paste0("n_risk_", s$time[i]), "R", s$n.risk[i])
}
add("camis10", "surv_120", "SAS", NA)                # CAMIS: SAS TIMELIST=120 prints NE

# (c) WHAS500, Cox model of AFB with Breslow ties: R's converged fit (default
# coxph.control: eps 1e-9) and R stopped one iteration earlier (iter.max = iter - 1), the
# iterate at which SAS PHREG's GCONV=1e-8 stops (CAMIS "Reason 3"; Wald chi-square 10.6143).
whas <- read.csv("data/whas500/whas_export.csv")
f <- coxph(Surv(LENFOL, FSTAT) ~ AFB, data = whas, ties = "breslow")
add("whas500_breslow", "coef", "R", coef(f))
add("whas500_breslow", "se", "R", sqrt(vcov(f)[1, 1]))
add("whas500_breslow", "wald", "R", summary(f)$waldtest[["test"]])
add("whas500_breslow", "wald_exact", "R", coef(f)^2 / vcov(f)[1, 1])
add("whas500_breslow", "iter", "R", f$iter)
early <- suppressWarnings(coxph(Surv(LENFOL, FSTAT) ~ AFB, data = whas, ties = "breslow",
                                control = coxph.control(iter.max = f$iter - 1)))
add("whas500_breslow_early", "coef", "R", coef(early))
add("whas500_breslow_early", "se", "R", sqrt(vcov(early)[1, 1]))
add("whas500_breslow_early", "wald_exact", "R", coef(early)^2 / vcov(early)[1, 1])
add("whas500_breslow", "wald", "SAS", 10.6143)       # as PHREG prints it (4 decimals)
fe <- coxph(Surv(LENFOL, FSTAT) ~ AFB, data = whas, ties = "efron")
add("whas500_efron", "coef", "R", coef(fe))
add("whas500_efron", "se", "R", sqrt(vcov(fe)[1, 1]))

# (d) Odds ratio of a 2 x 2 table: CDISC pilot adcibc, high dose vs placebo, "improved"
# = CIBIC+ AVAL <= 3.  fisher.test = conditional MLE (R); the sample odds ratio ad/bc
# with the Woolf (logit) CI is what PROC FREQ RELRISK prints (formula in base R: "hand").
ad <- read.csv("data/camis/adcibc.csv")
ad <- ad[ad$TRTP %in% c("Xanomeline High Dose", "Placebo"), ]
tab <- matrix(c(sum(ad$TRTP == "Xanomeline High Dose" & ad$AVAL <= 3),
                sum(ad$TRTP == "Xanomeline High Dose" & ad$AVAL > 3),
                sum(ad$TRTP == "Placebo" & ad$AVAL <= 3),
                sum(ad$TRTP == "Placebo" & ad$AVAL > 3)), 2, byrow = TRUE)
ft <- fisher.test(tab)
add("adcibc_or", "a", "R", tab[1, 1]); add("adcibc_or", "b", "R", tab[1, 2])
add("adcibc_or", "c", "R", tab[2, 1]); add("adcibc_or", "d", "R", tab[2, 2])
add("adcibc_or", "conditional", "R", ft$estimate)
add("adcibc_or", "conditional_lower", "R", ft$conf.int[1])
add("adcibc_or", "conditional_upper", "R", ft$conf.int[2])
or <- tab[1, 1] * tab[2, 2] / (tab[1, 2] * tab[2, 1])
half <- qnorm(0.975) * sqrt(sum(1 / tab))
add("adcibc_or", "sample", "hand", or)
add("adcibc_or", "sample_lower", "hand", or * exp(-half))
add("adcibc_or", "sample_upper", "hand", or * exp(half))

# (e) LIFETEST's Wilcoxon (Gehan-Breslow: log-rank score with weight n_j, the number at
# risk) and -2Log(LR), by hand with SAS's documented formulas; -2Log(LR) also from
# survreg(dist = "exponential") (R).
gehan <- function(time, status, group, strata = rep(1, length(time))) {
  lev <- sort(unique(group)); k <- length(lev)
  u <- numeric(k); v <- matrix(0, k, k)
  for (s in unique(strata)) {
    m <- strata == s
    t <- time[m]; d <- status[m]; g <- group[m]
    for (tj in sort(unique(t[d == 1]))) {
      nk <- sapply(lev, function(l) sum(t >= tj & g == l))
      dk <- sapply(lev, function(l) sum(t == tj & d == 1 & g == l))
      n <- sum(nk); dd <- sum(dk); w <- n
      u <- u + w * (dk - nk * dd / n)
      if (n > 1) v <- v + w^2 * dd * (n - dd) / (n - 1) *
          (diag(nk / n, k) - outer(nk / n, nk / n))
    }
  }
  idx <- 2:k
  c(chisq = drop(t(u[idx]) %*% solve(v[idx, idx, drop = FALSE]) %*% u[idx]), score1 = u[[1]])
}
lr_exp <- function(time, status, group) {
  dk <- tapply(status, group, sum); tk <- tapply(time, group, sum)
  2 * (sum(ifelse(dk > 0, dk * log(dk / tk), 0)) - sum(dk) * log(sum(dk) / sum(tk)))
}
lung <- read.csv("data/camis/lung_cancer.csv")
lung$event <- as.integer(lung$status == 2)
cases <- list(
  whas500_afb = list(t = whas$LENFOL, d = whas$FSTAT, g = whas$AFB, s = whas$GENDER),
  lung_trt = list(t = lung$time, d = lung$event, g = lung$trt01p, s = lung$sex))
for (name in names(cases)) {
  x <- cases[[name]]
  add(name, "wilcoxon", "hand", gehan(x$t, x$d, x$g)[["chisq"]])
  add(name, "wilcoxon_score_first", "hand", gehan(x$t, x$d, x$g)[["score1"]])
  add(name, "wilcoxon_stratified", "hand", gehan(x$t, x$d, x$g, x$s)[["chisq"]])
  add(name, "lr_exponential", "hand", lr_exp(x$t, x$d, x$g))
  sr <- survreg(Surv(x$t, x$d) ~ factor(x$g), dist = "exponential")
  add(name, "lr_exponential", "R", 2 * diff(sr$loglik))
  add(name, "logrank", "R", survdiff(Surv(x$t, x$d) ~ x$g)$chisq)
  add(name, "peto_peto", "R", survdiff(Surv(x$t, x$d) ~ x$g, rho = 1)$chisq)
}
# CAMIS "Comparing testing approaches under non-proportional hazards" (Comp/r-sas weighted
# logrank.qmd), WHAS500 by AFB: PROC LIFETEST STRATA afb / TEST=WILCOXON prints 8.2593
# (and survdiff(rho = 1), the Peto-Peto test, 9.9000: a different test).
add("whas500_afb", "wilcoxon", "SAS", 8.2593)
# Kalbfleisch & Prentice's rats (the data of SAS's LIFETEST examples, "Rats"): the SAS/STAT
# documentation's output shows Log-Rank 3.1227 and -2Log(LR) 0.0775 as recalled by the
# author; no stored copy of that output was found, so these two are a cross-check only.
rats <- data.frame(
  days = c(143, 164, 188, 188, 190, 192, 206, 209, 213, 216, 220, 227, 230, 234, 246, 265, 304,
           216, 244, 142, 156, 163, 198, 205, 232, 232, 233, 233, 233, 233, 239, 240, 261, 280,
           280, 296, 296, 323, 204, 344),
  status = c(rep(1, 17), 0, 0, rep(1, 19), 0, 0),
  group = c(rep(0, 19), rep(1, 21)))
write.csv(rats, file.path(out, "rats.csv"), row.names = FALSE)
add("rats", "logrank", "R", survdiff(Surv(days, status) ~ group, data = rats)$chisq)
add("rats", "wilcoxon", "hand", gehan(rats$days, rats$status, rats$group)[["chisq"]])
add("rats", "lr_exponential", "hand", lr_exp(rats$days, rats$status, rats$group))

write.csv(do.call(rbind, rows), file.path(out, "values.csv"), row.names = FALSE)
write.csv(data.frame(package = c("R", "survival"),
                     version = c(R.version.string, as.character(packageVersion("survival")))),
          file.path(out, "versions.csv"), row.names = FALSE)
