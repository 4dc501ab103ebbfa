# Reference values for netter's crossover adjustment (netter.stats.rpsftm, the RPSFTM part
# of netter.endpoints.crossover), in base R + survival.
#
# How to run:   cd tests/reference && Rscript crossover.R
# Produced with R 4.2.2 and survival 3.5.3 (versions written to crossover/versions.csv).
#
# rpsftm is not packaged for Debian, so this script implements what R `rpsftm` computes
# (Robins & Tsiatis 1991, as rpsftm 1.2 implements it), from the ADaM files themselves:
#   T      OS AVAL; event 1 - CNSR
#   T_on   all of T in the experimental arm; T - (XOVERDT - STARTDT) for a control switcher;
#          0 otherwise
# The Cox test uses the ties of the case (efron unless the case name says breslow).
#   C      DCUTDT - RANDDT (+ 1 when AVAL counts both ends, i.e. AVAL = ADT - STARTDT + 1)
#   U(psi) = T - T_on + exp(psi) T_on, re-censored at C* = C min(1, exp(psi)) in an arm
#          whose subjects are not all fully on or all fully off treatment (rpsftm's
#          autoswitch); an event is kept when U <= C*
#   psi    root of the signed log-rank statistic of U between arms (O - E of the
#          experimental arm over its SD; survdiff), or of the Cox Wald z (coef / se)
#   CI     the psi where the statistic is +-qnorm(0.975)
# All roots are solved with uniroot(tol = 1e-10), far tighter than rpsftm's own (~7e-4).
# The adjusted hazard ratio compares the experimental arm's observed times with the
# control arm's U at psi (coxph, ties efron and breslow, stratified as the test); its
# preserved-p interval uses
# SE = |log HR| / |z_ITT| with z_ITT the statistic at psi = 0.
#
# IPCW and two-stage estimation are implemented independently below (survSplit-like
# person-intervals, glm binomial, coxph with weights and cluster(id); survreg), with the
# rules netter documents in netter.stats.ipcw and netter.stats.tse.
#
# Writes crossover/rpsftm.csv, crossover/ipcw.csv and crossover/tse.csv with columns
# case, stat, value (%.17g).
suppressPackageStartupMessages(library(survival))

out <- "crossover"
dir.create(out, showWarnings = FALSE)
fmt <- function(x) sprintf("%.17g", as.numeric(x))
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)

read_trial <- function(folder, experimental, param = "OS") {
  adsl <- read.csv(file.path(folder, "adsl.csv"), stringsAsFactors = FALSE)
  adtte <- read.csv(file.path(folder, "adtte.csv"), stringsAsFactors = FALSE)
  tte <- adtte[adtte$PARAMCD == param, ]
  d <- merge(adsl, tte[, c("USUBJID", "STARTDT", "ADT", "AVAL", "CNSR")], by = "USUBJID")
  d <- d[order(d$USUBJID, method = "radix"), ]
  span <- as.numeric(as.Date(d$ADT) - as.Date(d$STARTDT))
  offset <- if (mean(d$AVAL == span + 1) > 0.5) 1 else 0
  d$time <- d$AVAL
  d$event <- 1 - d$CNSR
  d$exp <- as.integer(d$TRT01P == experimental)
  switched <- d$XOVERFL == "Y"
  xo <- ifelse(switched, as.numeric(as.Date(d$XOVERDT) - as.Date(d$STARTDT)), NA)
  d$on <- ifelse(d$exp == 1, d$time, ifelse(switched, pmax(d$time - xo, 0), 0))
  d$cens <- as.numeric(as.Date(d$DCUTDT) - as.Date(d$RANDDT)) + offset
  d
}

mask_of <- function(d) {
  m <- rep(FALSE, nrow(d))
  for (a in c(0, 1)) {
    i <- d$exp == a
    if (!(all(d$on[i] >= d$time[i]) || all(d$on[i] <= 0))) m[i] <- TRUE
  }
  m
}

counterfactual <- function(d, psi, recensor) {
  u <- d$time - d$on + exp(psi) * d$on
  ev <- d$event
  if (recensor) {
    cstar <- d$cens * min(1, exp(psi))
    cut <- mask_of(d) & u > cstar
    u[cut] <- cstar[cut]
    ev[cut] <- 0
  }
  list(u = u, ev = ev)
}

statistic <- function(d, psi, recensor, test, strata, ties = "efron") {
  cf <- counterfactual(d, psi, recensor)
  dd <- data.frame(u = cf$u, ev = cf$ev, arm = factor(d$exp, levels = c(0, 1)))
  rhs <- "arm"
  for (s in strata) dd[[s]] <- d[[s]]
  if (length(strata)) rhs <- paste0(rhs, " + strata(", paste(strata, collapse = ", "), ")")
  f <- as.formula(paste("Surv(u, ev) ~", rhs))
  if (test == "logrank") {
    sd <- survdiff(f, data = dd)
    obs <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
    ex <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
    return((obs[2] - ex[2]) / sqrt(sd$var[2, 2]))
  }
  fit <- coxph(f, data = dd, ties = ties, control = ctl)
  unname(coef(fit)[1] / sqrt(vcov(fit)[1, 1]))
}

rows <- list()
add <- function(case, stat, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, stat = stat, value = fmt(value),
                                          stringsAsFactors = FALSE)
}

# The statistic is a step function of psi: its root is usually a jump, and the
# counterfactual data (so the hazard ratio) differ on its two sides.  As netter does, the
# side where |statistic - target| is smaller is taken: uniroot locates the jump, and a
# bisection over root -+ 1e-9 pins the two sides.
solve <- function(f, lower, upper, target) {
  r <- uniroot(f, c(lower, upper), target = target, tol = 1e-10)$root
  a <- r - 1e-9
  b <- r + 1e-9
  fa <- f(a, target)
  fb <- f(b, target)
  if (fa == 0) return(a)
  if (fb == 0 || sign(fa) == sign(fb)) return(r)
  while (b - a > 1e-12) {
    m <- (a + b) / 2
    fm <- f(m, target)
    if (fm == 0) return(m)
    if (sign(fm) == sign(fa)) { a <- m; fa <- fm } else { b <- m; fb <- fm }
  }
  if (abs(fb) < abs(fa)) b else a
}

# Every sign change of f - target on a grid of step 0.02 over [lo, hi], each solved as
# above.  The estimate is the root nearest 0; the interval's ends are the outermost
# crossings of +z and -z (the statistic may cross a level more than once).
crossings <- function(f, lo, hi, target) {
  grid <- seq(lo, hi, length.out = round((hi - lo) / 0.02) + 1)
  v <- sapply(grid, function(p) f(p, 0)) - target
  out <- c()
  for (i in seq_len(length(grid) - 1)) {
    if (v[i] == 0) out <- c(out, grid[i])
    else if (v[i] * v[i + 1] < 0) out <- c(out, solve(f, grid[i], grid[i + 1], target))
  }
  out
}

run_case <- function(case, d, recensor, test, strata = character(), lo = -3, hi = 3,
                     test_ties = "efron") {
  f <- function(p, target) statistic(d, p, recensor, test, strata, test_ties) - target
  z <- qnorm(0.975)
  roots <- crossings(f, lo, hi, 0)
  psi <- roots[which.min(abs(roots))]
  ends <- c(crossings(f, lo, hi, z), crossings(f, lo, hi, -z))
  lower <- min(ends)
  upper <- max(ends)
  add(case, "n_roots", length(roots))
  z0 <- statistic(d, 0, recensor, test, strata, test_ties)
  add(case, "psi", psi)
  add(case, "psi_lower", lower)
  add(case, "psi_upper", upper)
  add(case, "z_itt", z0)
  cf <- counterfactual(d, psi, recensor)
  tt <- ifelse(d$exp == 1, d$time, cf$u)
  ee <- ifelse(d$exp == 1, d$event, cf$ev)
  dd <- data.frame(tt = tt, ee = ee, arm = d$exp)
  rhs <- "arm"
  for (s in strata) dd[[s]] <- d[[s]]
  if (length(strata)) rhs <- paste0(rhs, " + strata(", paste(strata, collapse = ", "), ")")
  for (ties in c("efron", "breslow")) {
    fit <- coxph(as.formula(paste("Surv(tt, ee) ~", rhs)), data = dd, ties = ties,
                 control = ctl)
    b <- unname(coef(fit))
    se <- abs(b) / abs(z0)
    add(case, paste0("hr_", ties), exp(b))
    add(case, paste0("hr_lower_", ties), exp(b - z * se))
    add(case, paste0("hr_upper_", ties), exp(b + z * se))
  }
}

# --- IPCW and two-stage estimation on the synthetic final cut-off ----------------------
# Times in months (days / 30.4375), as netter's study analyses use them.  Progression:
# a PFS event whose EVNTDESC does not mention death.  Covariates: STRAT1R and STRAT2R as
# dummies, levels sorted in C order, the first left out.
add_progression <- function(d, folder) {
  adtte <- read.csv(file.path(folder, "adtte.csv"), stringsAsFactors = FALSE)
  pfs <- adtte[adtte$PARAMCD == "PFS", ]
  prog <- pfs$CNSR == 0 & !grepl("death", tolower(pfs$EVNTDESC))
  d$prog <- NA_real_
  i <- match(d$USUBJID, pfs$USUBJID)
  d$prog <- ifelse(!is.na(i) & prog[i], pfs$AVAL[i], NA)
  d
}

dummies <- function(d, vars) {
  out <- list()
  for (v in vars) {
    lev <- sort(unique(d[[v]]), method = "radix")
    for (l in lev[-1]) out[[paste0(v, "=", l)]] <- as.numeric(d[[v]] == l)
  }
  as.data.frame(out, check.names = FALSE)
}

ipcw_case <- function(case, d, covars, interval = 1, ties = "efron", truncate = NULL) {
  m <- 30.4375
  d$t <- d$time / m
  d$sw <- ifelse(d$XOVERFL == "Y", as.numeric(as.Date(d$XOVERDT) - as.Date(d$STARTDT)) / m, NA)
  d$p <- d$prog / m
  d$id <- seq_len(nrow(d))
  X <- dummies(d, covars)
  ctl_rows <- list()
  for (i in which(d$exp == 0)) {
    switched <- !is.na(d$sw[i])
    tend <- if (switched) d$sw[i] else d$t[i]
    if (tend <= 0) next
    k <- ceiling(tend / interval - 1e-12)
    a <- (seq_len(k) - 1) * interval
    b <- pmin(seq_len(k) * interval, tend)
    last <- seq_len(k) == k
    pr <- !is.na(d$p[i]) & d$p[i] <= b
    ctl_rows[[length(ctl_rows) + 1]] <- data.frame(
      id = i, a = a, b = b, y = as.numeric(last & switched),
      ev = ifelse(last & !switched, d$event[i], 0), progressed = as.numeric(pr),
      tsp = ifelse(pr, b - d$p[i], 0), X[rep(i, k), , drop = FALSE], check.names = FALSE)
  }
  ctl <- do.call(rbind, ctl_rows)
  cn <- names(X)
  all_after <- all(ctl$progressed[ctl$y == 1] == 1)
  fit_rows <- if (all_after) ctl$progressed == 1 else rep(TRUE, nrow(ctl))
  rhs_num <- c(cn, "a")
  rhs_den <- c(cn, "a", if (!all_after) "progressed", "tsp")
  q <- function(v) paste0("`", v, "`")
  gctl <- glm.control(epsilon = 1e-14, maxit = 100)
  den <- glm(as.formula(paste("y ~", paste(q(rhs_den), collapse = " + "))),
             family = binomial, data = ctl[fit_rows, ], control = gctl)
  num <- glm(as.formula(paste("y ~", paste(q(rhs_num), collapse = " + "))),
             family = binomial, data = ctl[fit_rows, ], control = gctl)
  pd <- rep(0, nrow(ctl)); pn <- rep(0, nrow(ctl))
  pd[fit_rows] <- fitted(den); pn[fit_rows] <- fitted(num)
  lr <- log((1 - pn) / (1 - pd))
  ctl$w <- exp(ave(lr, ctl$id, FUN = cumsum) - lr)
  if (!is.null(truncate)) {
    qs <- quantile(ctl$w, truncate / 100, type = 7)
    ctl$w <- pmin(pmax(ctl$w, qs[1]), qs[2])
  }
  ex <- d[d$exp == 1 & d$t > 0, ]
  rows <- rbind(data.frame(id = ex$id, a = 0, b = ex$t, ev = ex$event, arm = 1, w = 1),
                data.frame(id = ctl$id, a = ctl$a, b = ctl$b, ev = ctl$ev, arm = 0, w = ctl$w))
  fit <- coxph(Surv(a, b, ev) ~ arm + cluster(id), data = rows, weights = w, ties = ties,
               control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
  add(case, "hr", exp(coef(fit)[1]))
  add(case, "se_robust", sqrt(vcov(fit)[1, 1]))
  add(case, "se_model", sqrt(fit$naive.var[1, 1]))
  for (nm in names(coef(den))) add(case, paste0("den:", gsub("`", "", nm)), coef(den)[nm])
  for (nm in names(coef(num))) add(case, paste0("num:", gsub("`", "", nm)), coef(num)[nm])
  add(case, "w_min", min(ctl$w)); add(case, "w_max", max(ctl$w)); add(case, "w_mean", mean(ctl$w))
  add(case, "w_median", median(ctl$w)); add(case, "w_p99", quantile(ctl$w, 0.99, type = 7))
  add(case, "rows", nrow(rows))
}

tse_case <- function(case, d, covars, dist = "weibull", recensor = TRUE, ties = "efron") {
  m <- 30.4375
  t <- d$time / m
  p <- d$prog / m
  cens <- d$cens / m
  sw <- d$XOVERFL == "Y"
  pop <- d$exp == 0 & !is.na(p) & t > p
  X <- dummies(d, covars)
  s1 <- data.frame(post = (t - p)[pop], ev = d$event[pop], switch = as.numeric(sw[pop]),
                   X[pop, , drop = FALSE], check.names = FALSE)
  q <- function(v) paste0("`", v, "`")
  f <- as.formula(paste("Surv(post, ev) ~", paste(q(c("switch", names(X))), collapse = " + ")))
  fit <- survreg(f, data = s1, dist = dist,
                 control = survreg.control(rel.tolerance = 1e-12, maxiter = 200))
  af <- exp(unname(coef(fit)["switch"]))
  u <- ifelse(pop & sw, p + (t - p) / af, t)
  e <- d$event
  if (recensor) {
    cstar <- ifelse(pop, p + (cens - p) * min(1, 1 / af), Inf)
    cut <- pop & u > cstar
    u[cut] <- cstar[cut]
    e[cut] <- 0
  }
  tt <- ifelse(d$exp == 1, t, u)
  cox <- coxph(Surv(tt, e) ~ d$exp, ties = ties,
               control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
  add(case, "af", af)
  add(case, "coef_switch", unname(coef(fit)["switch"]))
  add(case, "se_switch", sqrt(vcov(fit)["switch", "switch"]))
  add(case, "hr", exp(unname(coef(cox))))
  add(case, "se_naive", sqrt(vcov(cox)[1, 1]))
  add(case, "stage1_n", sum(pop))
}

immdef <- read_trial("data/immdef", "Immediate")
run_case("immdef_logrank_recensor", immdef, TRUE, "logrank")
run_case("immdef_logrank_norecensor", immdef, FALSE, "logrank")
run_case("immdef_cox_recensor", immdef, TRUE, "cox")
run_case("immdef_cox_recensor_breslow", immdef, TRUE, "cox", test_ties = "breslow")

netter1 <- read_trial("../../data/synthetic/netter1/final", "177Lu-DOTATATE")
run_case("netter1_final_logrank_recensor", netter1, TRUE, "logrank")
run_case("netter1_final_logrank_norecensor", netter1, FALSE, "logrank")
run_case("netter1_final_logrank_strata", netter1, TRUE, "logrank", c("STRAT1R", "STRAT2R"))
run_case("netter1_final_cox_recensor", netter1, TRUE, "cox")
run_case("netter1_final_cox_recensor_breslow", netter1, TRUE, "cox", test_ties = "breslow")

write.csv(do.call(rbind, rows), file.path(out, "rpsftm.csv"), row.names = FALSE)

rows <- list()
final <- add_progression(netter1, "../../data/synthetic/netter1/final")
ipcw_case("netter1_final_ipcw", final, c("STRAT1R", "STRAT2R"))
ipcw_case("netter1_final_ipcw_breslow", final, c("STRAT1R", "STRAT2R"), ties = "breslow")
ipcw_case("netter1_final_ipcw_nocov_truncated", final, character(), truncate = c(1, 99))
ipcw_case("netter1_final_ipcw_3month", final, c("STRAT2R"), interval = 3)
write.csv(do.call(rbind, rows), file.path(out, "ipcw.csv"), row.names = FALSE)

rows <- list()
tse_case("netter1_final_tse_weibull", final, c("STRAT1R", "STRAT2R"))
tse_case("netter1_final_tse_lognormal", final, c("STRAT1R", "STRAT2R"), dist = "lognormal")
tse_case("netter1_final_tse_loglogistic_norecensor", final, character(), dist = "loglogistic",
         recensor = FALSE)
write.csv(do.call(rbind, rows), file.path(out, "tse.csv"), row.names = FALSE)
write.csv(data.frame(R = R.version.string, survival = as.character(packageVersion("survival"))),
          file.path(out, "versions.csv"), row.names = FALSE)
