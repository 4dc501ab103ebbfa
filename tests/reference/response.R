# Reference values for netter.stats.binomial and netter.stats.contingency (tumour response).
#
# How to run:   cd tests/reference && Rscript response.R
# Produced with R 4.2.2 (2022-11-10 r83330), base R only (stats): binom, exact2x2,
# DescTools and PropCIs are not installed here, so the two intervals R has no function
# for are computed below from their published formulas (see "risk difference").
# The versions used are written to response/versions.csv.
#
# Reads the hand-made cases in response/inputs/
#   binomial.csv  x, n                          one-sample proportions
#   tables.csv    case, x1, n1, x2, n2          2 x 2 tables (arm 1 = experimental)
#   strata.csv    case, stratum, x1, n1, x2, n2 2 x 2 x K tables, one row per stratum
# and writes, with 17 significant digits (NA, NaN, Inf as R prints them):
#   response/binomial.csv  x, n, conf_level, method, estimate, lower, upper
#       clopper-pearson: binom.test(x, n, conf.level = )$conf.int
#       wilson:          prop.test(x, n, conf.level = , correct = FALSE)$conf.int
#   response/tables.csv    case, conf_level, stat, value
#       fisher_*          fisher.test(rbind(c(x1, n1 - x1), c(x2, n2 - x2)), conf.level = )
#       fisher_precise_*  the same code with uniroot(tol = 1e-13) instead of its default
#       newcombe_*        Newcombe (1998) method 10 from prop.test(correct = FALSE) limits
#       mn_*              Miettinen-Nurminen score interval (below), uniroot(tol = 1e-14)
#   response/strata.csv    case, conf_level, stat, value
#       mh_*              mantelhaen.test(x, correct = FALSE / TRUE, conf.level = )
#       exact_*           mantelhaen.test(x, exact = TRUE, conf.level = )
#       exact_precise_*   the same with uniroot(tol = 1e-13)
#       r_error_full      1 when mantelhaen.test refuses the table as given, 0 otherwise
#       n_strata          strata analysed
# The table R analyses is the input without its strata of fewer than 2 subjects (which
# mantelhaen.test refuses and netter drops: they carry no information); when a single
# stratum is left, an informationless stratum (2 responders, both in arm 1) is added,
# because mantelhaen.test needs 2 strata and such a stratum changes no statistic.
# Missing values (an arm with no subjects) are written as NA.

out <- "response"
inputs <- file.path(out, "inputs")
num <- function(x) ifelse(is.na(x) & !is.nan(x), "NA", sprintf("%.17g", as.numeric(x)))
levels <- c(0.95, 0.90)

# --- R's own code with a tighter uniroot tolerance -----------------------------------------
# fisher.test and mantelhaen.test(exact = TRUE) call uniroot() with its default tolerance
# (.Machine$double.eps^0.25); this copy finds the same roots to 1e-13.
precise <- function(fun, tol = 1e-13) {
  e <- new.env(parent = environment(fun))
  e$uniroot <- function(...) stats::uniroot(..., tol = tol)
  environment(fun) <- e
  fun
}
fisher_precise <- precise(fisher.test)
mantelhaen_precise <- precise(mantelhaen.test)

# prop.test warns "Chi-squared approximation may be incorrect" for small counts; the
# interval is what is wanted here, so the warning is muffled.
wilson <- function(x, n, level) {
  suppressWarnings(prop.test(x, n, conf.level = level, correct = FALSE)$conf.int)
}

# --- one-sample intervals -----------------------------------------------------------------
bin <- read.csv(file.path(inputs, "binomial.csv"))
rows <- list()
for (i in seq_len(nrow(bin))) for (level in levels) {
  x <- bin$x[i]
  n <- bin$n[i]
  cp <- binom.test(x, n, conf.level = level)$conf.int
  wi <- wilson(x, n, level)
  # cross-check Clopper-Pearson against its beta-quantile definition
  alpha <- (1 - level) / 2
  cp2 <- c(if (x == 0) 0 else qbeta(alpha, x, n - x + 1),
           if (x == n) 1 else qbeta(1 - alpha, x + 1, n - x))
  stopifnot(isTRUE(all.equal(as.numeric(cp), cp2, tolerance = 1e-15)))
  rows[[length(rows) + 1]] <- data.frame(x = x, n = n, conf_level = level,
    method = c("clopper-pearson", "wilson"), estimate = num(x / n),
    lower = num(c(cp[1], wi[1])), upper = num(c(cp[2], wi[2])))
}
write.csv(do.call(rbind, rows), file.path(out, "binomial.csv"), row.names = FALSE, quote = FALSE)

# --- risk difference ----------------------------------------------------------------------
# Newcombe (1998) method 10: Wilson limits (l, u) of each arm from prop.test(correct = FALSE),
# L = d - sqrt((p1 - l1)^2 + (u2 - p2)^2), U = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
newcombe <- function(x1, n1, x2, n2, level) {
  w1 <- wilson(x1, n1, level)
  w2 <- wilson(x2, n2, level)
  p1 <- x1 / n1
  p2 <- x2 / n2
  d <- p1 - p2
  c(estimate = d, lower = d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2),
    upper = d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}

# Miettinen-Nurminen (1985): Z(delta) = (p1 - p2 - delta) / sqrt(V), with V the variance of
# p1 - p2 at the maximum likelihood estimates restricted to p1 - p2 = delta, times N/(N - 1).
# The restricted estimate is found here numerically (root of the profile score in p2 by
# uniroot, tol 1e-15), not from the closed-form cubic netter uses, and the two are checked
# against each other; the limits are the deltas where Z = +/- qnorm((1 + level) / 2).
term <- function(count, den) if (count == 0) 0 else count / den
# uniroot() with infinite end values capped at the largest double, as uniroot itself
# treats infinite values met during the search
cap <- function(v) max(min(v, .Machine$double.xmax), -.Machine$double.xmax)
root <- function(f, lo, hi, tol, f_lo = f(lo), f_hi = f(hi)) {
  suppressWarnings(uniroot(f, c(lo, hi), f.lower = cap(f_lo), f.upper = cap(f_hi),
                           tol = tol)$root)
}
restricted_p2 <- function(x1, n1, x2, n2, delta) {
  lo <- max(0, -delta)
  hi <- min(1, 1 - delta)
  score <- function(p2) term(x1, p2 + delta) - term(n1 - x1, 1 - p2 - delta) +
    term(x2, p2) - term(n2 - x2, 1 - p2)
  if (hi - lo <= 0) return(lo)
  # the score is +Inf at lo when a positive count has a zero denominator there, -Inf at hi
  # likewise; otherwise the zero-denominator terms have zero counts and vanish
  s_lo <- if ((lo == -delta && x1 > 0) || (lo == 0 && x2 > 0)) Inf else score(lo)
  s_hi <- if ((hi == 1 - delta && x1 < n1) || (hi == 1 && x2 < n2)) -Inf else score(hi)
  if (s_lo <= 0) return(lo)
  if (s_hi >= 0) return(hi)
  root(score, lo, hi, 1e-15, s_lo, s_hi)
}
closed_form_p1 <- function(x1, n1, x2, n2, delta) {   # Farrington & Manning (1990)
  p1 <- x1 / n1; p2 <- x2 / n2; theta <- n2 / n1
  a <- 1 + theta
  b <- -(1 + theta + p1 + theta * p2 + delta * (theta + 2))
  c <- delta^2 + delta * (2 * p1 + theta + 1) + p1 + theta * p2
  d <- -p1 * delta * (1 + delta)
  v <- b^3 / (27 * a^3) - b * c / (6 * a^2) + d / (2 * a)
  u <- sign(v) * sqrt(max(b^2 / (9 * a^2) - c / (3 * a), 0))
  if (u == 0) return(-b / (3 * a))
  w <- (pi + acos(min(1, max(-1, v / u^3)))) / 3
  2 * u * cos(w) - b / (3 * a)
}
mn_z <- function(x1, n1, x2, n2, delta) {
  num_ <- x1 / n1 - x2 / n2 - delta
  if (num_ == 0) return(0)
  q2 <- restricted_p2(x1, n1, x2, n2, delta)
  q1 <- q2 + delta
  cf <- closed_form_p1(x1, n1, x2, n2, delta)
  stopifnot(abs(cf - q1) < 1e-7)   # the cubic loses digits only within 1e-14 of p1 - p2
  n <- n1 + n2
  v <- (q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2) * n / (n - 1)
  if (v <= 0) return(sign(num_) * Inf)
  num_ / sqrt(v)
}
miettinen_nurminen <- function(x1, n1, x2, n2, level) {
  z <- qnorm((1 + level) / 2)
  d <- x1 / n1 - x2 / n2
  lower <- if (d <= -1) -1 else
    root(function(t) mn_z(x1, n1, x2, n2, t) - z, -1, d, 1e-14)
  upper <- if (d >= 1) 1 else
    root(function(t) mn_z(x1, n1, x2, n2, t) + z, d, 1, 1e-14)
  c(estimate = d, lower = lower, upper = upper)
}

# --- 2 x 2 tables -------------------------------------------------------------------------
tabs <- read.csv(file.path(inputs, "tables.csv"), stringsAsFactors = FALSE)
rows <- list()
add <- function(case, level, stat, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, conf_level = level, stat = stat,
                                          value = num(value))
}
for (i in seq_len(nrow(tabs))) for (level in levels) {
  r <- tabs[i, ]
  x <- rbind(c(r$x1, r$n1 - r$x1), c(r$x2, r$n2 - r$x2))
  ft <- fisher.test(x, conf.level = level)
  fp <- fisher_precise(x, conf.level = level)
  add(r$case, level, "fisher_estimate", ft$estimate)
  add(r$case, level, "fisher_lower", ft$conf.int[1])
  add(r$case, level, "fisher_upper", ft$conf.int[2])
  add(r$case, level, "fisher_p", ft$p.value)
  add(r$case, level, "fisher_precise_estimate", fp$estimate)
  add(r$case, level, "fisher_precise_lower", fp$conf.int[1])
  add(r$case, level, "fisher_precise_upper", fp$conf.int[2])
  stopifnot(identical(ft$p.value, fp$p.value))
  if (r$n1 > 0 && r$n2 > 0) {
    nc <- newcombe(r$x1, r$n1, r$x2, r$n2, level)
    mn <- miettinen_nurminen(r$x1, r$n1, r$x2, r$n2, level)
  } else {
    nc <- mn <- c(estimate = NA, lower = NA, upper = NA)
  }
  for (s in names(nc)) add(r$case, level, paste0("newcombe_", s), nc[[s]])
  for (s in names(mn)) add(r$case, level, paste0("mn_", s), mn[[s]])
}
write.csv(do.call(rbind, rows), file.path(out, "tables.csv"), row.names = FALSE, quote = FALSE)

# --- 2 x 2 x K tables ---------------------------------------------------------------------
strata <- read.csv(file.path(inputs, "strata.csv"), stringsAsFactors = FALSE)
as_array <- function(d) {
  x <- array(0, c(2, 2, nrow(d)))
  for (k in seq_len(nrow(d))) x[, , k] <- rbind(c(d$x1[k], d$n1[k] - d$x1[k]),
                                               c(d$x2[k], d$n2[k] - d$x2[k]))
  x
}
rows <- list()
for (case in unique(strata$case)) for (level in levels) {
  full <- as_array(strata[strata$case == case, ])
  refused <- inherits(try(mantelhaen.test(full, conf.level = level), silent = TRUE),
                      "try-error")
  keep <- apply(full, 3L, sum) >= 2
  x <- full[, , keep, drop = FALSE]
  n_strata <- dim(x)[3]
  if (n_strata == 1) x <- array(c(x, 2, 0, 0, 0), c(2, 2, 2))   # informationless stratum
  add(case, level, "r_error_full", as.numeric(refused))
  add(case, level, "n_strata", n_strata)
  if (n_strata == 0) next
  for (correct in c(FALSE, TRUE)) {
    m <- mantelhaen.test(x, correct = correct, conf.level = level)
    tag <- if (correct) "corrected" else "uncorrected"
    add(case, level, paste0("mh_statistic_", tag), m$statistic)
    add(case, level, paste0("mh_p_", tag), m$p.value)
    if (!correct) {
      add(case, level, "mh_estimate", m$estimate)
      add(case, level, "mh_lower", m$conf.int[1])
      add(case, level, "mh_upper", m$conf.int[2])
    }
  }
  e <- mantelhaen.test(x, exact = TRUE, conf.level = level)
  ep <- mantelhaen_precise(x, exact = TRUE, conf.level = level)
  shift <- if (n_strata == 1) 2 else 0                              # the added stratum's S
  add(case, level, "exact_statistic", e$statistic - shift)
  add(case, level, "exact_p", e$p.value)
  add(case, level, "exact_estimate", e$estimate)
  add(case, level, "exact_lower", e$conf.int[1])
  add(case, level, "exact_upper", e$conf.int[2])
  add(case, level, "exact_precise_estimate", ep$estimate)
  add(case, level, "exact_precise_lower", ep$conf.int[1])
  add(case, level, "exact_precise_upper", ep$conf.int[2])
}
write.csv(do.call(rbind, rows), file.path(out, "strata.csv"), row.names = FALSE, quote = FALSE)

write.csv(data.frame(R = R.version.string), file.path(out, "versions.csv"), row.names = FALSE)
cat("wrote", file.path(out, c("binomial.csv", "tables.csv", "strata.csv", "versions.csv")), "\n")
