# Reference values for netter's parametric survival models (netter/stats/parametric.py).
#
# How to run:   cd tests/reference && Rscript parametric.R
# Produced with R 4.2.2 and survival 3.5.3 (versions in parametric/versions.csv).
# flexsurv is not installed here, so the models survreg lacks are written out below and
# maximised with nlminb (rel.tol 1e-15), polished by optim BFGS (reltol 1e-16) and
# nlminb again, then Newton steps on central differences; standard errors from
# optimHess on those central differences (numerical, so looser).
#
# Inputs (plain CSV under data/):
#   data/lung_aft.csv              written by aft.R from survival::lung (time in days)
#   data/parametric_final_os.csv      synthetic NETTER-1 final cut-off, OS, months =
#   data/parametric_primary_pfs.csv   days / 30.4375 (and primary cut-off, PFS), written from
#                                  data/synthetic/netter1/{final,primary} with
#     cd /work/main && .venv/bin/python -c "
#     import pandas as pd
#     for c, p, name in [('final', 'OS', 'parametric_final_os'), ('primary', 'PFS', 'parametric_primary_pfs')]:
#         t = pd.read_csv(f'data/synthetic/netter1/{c}/adtte.csv'); s = pd.read_csv(f'data/synthetic/netter1/{c}/adsl.csv')
#         t = t[t.PARAMCD == p].merge(s[['USUBJID', 'TRT01P']], on='USUBJID').sort_values('USUBJID')
#         pd.DataFrame({'time': t.AVAL / 30.4375, 'event': (t.CNSR == 0).astype(int), 'arm': t.TRT01P}).to_csv(
#             f'tests/reference/data/{name}.csv', index=False, float_format='%.17g')"
#
# Parameterisation (netter's and flexsurv's res.t): exponential log_rate; weibull
# log_shape, log_scale; gompertz shape, log_rate; lognormal meanlog, log_sdlog;
# loglogistic log_shape, log_scale; gengamma mu, log_sigma, Q; splineK gamma0..gamma{K+1}
# (log cumulative hazard, knots on log time at the quantiles of log event times, as
# flexsurvspline); a covariate adds beta * x to the location parameter (log_rate,
# log_scale, log_rate, meanlog, log_scale, mu, gamma0).
# survreg mapping (b = intercept, covariate coefficients c, log sigma = Log(scale)):
#   exponential log_rate = -b, beta = -c; weibull log_shape = -log sigma, log_scale = b,
#   beta = c; lognormal meanlog = b, log_sdlog = log sigma, beta = c; loglogistic as weibull.
#
# Writes parametric/fits.csv: case, dist, term, stat (estimate, se, loglik, n, events,
# knot1..), value (%.17g).
suppressPackageStartupMessages(library(survival))
out <- "parametric"
dir.create(out, showWarnings = FALSE)
fmt <- function(x) sprintf("%.17g", as.numeric(x))

lung <- read.csv("data/lung_aft.csv")
os <- read.csv("data/parametric_final_os.csv", stringsAsFactors = FALSE)
pfs <- read.csv("data/parametric_primary_pfs.csv", stringsAsFactors = FALSE)
LU <- "177Lu-DOTATATE"
cases <- list(
  lung = list(d = lung, x = NULL),
  os_lu = list(d = os[os$arm == LU, ], x = NULL),
  os_oct = list(d = os[os$arm != LU, ], x = NULL),
  pfs_lu = list(d = pfs[pfs$arm == LU, ], x = NULL),
  pfs_oct = list(d = pfs[pfs$arm != LU, ], x = NULL),
  os_joint = list(d = os, x = as.numeric(os$arm == LU))
)

sb <- function(x, knots) {  # Royston-Parmar basis and derivative
  kmin <- knots[1]; kmax <- knots[length(knots)]
  B <- cbind(1, x); D <- cbind(0, rep(1, length(x)))
  for (kj in knots[-c(1, length(knots))]) {
    lam <- (kmax - kj) / (kmax - kmin)
    p3 <- function(u) pmax(u, 0)^3; p2 <- function(u) pmax(u, 0)^2
    B <- cbind(B, p3(x - kj) - lam * p3(x - kmin) - (1 - lam) * p3(x - kmax))
    D <- cbind(D, 3 * (p2(x - kj) - lam * p2(x - kmin) - (1 - lam) * p2(x - kmax)))
  }
  list(B = B, D = D)
}

loglik_fn <- function(dist, t, d, x, knots) {
  lt <- log(t)
  k <- switch(dist, gompertz = 2, gengamma = 3, length(knots))
  loc <- switch(dist, gompertz = 2, gengamma = 1, 1)
  function(par) {
    p <- par[1:k]
    locv <- rep(p[loc], length(t)); if (!is.null(x)) locv <- locv + par[k + 1] * x
    if (dist == "gompertz") {
      a <- p[1]; b <- exp(locv)
      H <- if (abs(a) < 1e-12) b * t else b / a * expm1(a * t)
      ll <- sum(d * (locv + a * t)) - sum(H)
    } else if (dist == "gengamma") {
      mu <- locv; s <- exp(p[2]); Q <- p[3]
      w <- (lt - mu) / s
      if (abs(Q) < 1e-4) {  # the log-normal limit (the formula below cancels badly)
        lf <- dnorm(w, log = TRUE) - log(s) - lt; lS <- pnorm(-w, log.p = TRUE)
      } else {
        sh <- Q^-2; u <- sh * exp(Q * w)
        lf <- log(abs(Q)) + sh * log(sh) - log(s) - lt - lgamma(sh) + sh * (Q * w - exp(Q * w))
        lS <- pgamma(u, sh, lower.tail = Q < 0, log.p = TRUE)
      }
      ll <- sum(d * lf + (1 - d) * lS)
    } else {
      bb <- sb(lt, knots)
      s <- as.vector(bb$B %*% p) + (locv - p[1]); ds <- as.vector(bb$D %*% p)
      if (any(ds[d == 1] <= 0)) return(-1e300)
      ll <- sum(d * (log(pmax(ds, 1e-300)) + s - lt)) - sum(exp(s))
    }
    if (!is.finite(ll)) -1e300 else ll
  }
}

rows <- list()
add <- function(case, dist, term, stat, value)
  rows[[length(rows) + 1]] <<- data.frame(case = case, dist = dist, term = term, stat = stat,
                                          value = fmt(value), stringsAsFactors = FALSE)

for (cn in names(cases)) {
  cs <- cases[[cn]]; d <- cs$d; x <- cs$x
  ev <- sum(d$event); nc <- if (is.null(x)) 0 else 1
  f <- if (is.null(x)) Surv(time, event) ~ 1 else Surv(time, event) ~ xx
  d$xx <- if (is.null(x)) 0 else x
  wb <- survreg(f, data = d, dist = "weibull", control = survreg.control(rel.tolerance = 1e-13, maxiter = 200))
  # survreg families
  for (dist in c("exponential", "weibull", "lognormal", "loglogistic")) {
    np <- if (dist == "exponential") 1 else 2
    if (ev < np + nc + 1) next
    fit <- survreg(f, data = d, dist = dist, control = survreg.control(rel.tolerance = 1e-13, maxiter = 200))
    b <- coef(fit); v <- vcov(fit)
    if (dist == "exponential") {
      est <- c(log_rate = -b[[1]]); se <- sqrt(v[1, 1])
      if (nc) { est <- c(est, beta = -b[[2]]); se <- c(se, sqrt(v[2, 2])) }
    } else {
      ls <- log(fit$scale); lse <- sqrt(v["Log(scale)", "Log(scale)"])
      if (dist == "lognormal") { est <- c(meanlog = b[[1]], log_sdlog = ls); se <- c(sqrt(v[1, 1]), lse) }
      else { est <- c(log_shape = -ls, log_scale = b[[1]]); se <- c(lse, sqrt(v[1, 1])) }
      if (nc) { est <- c(est, beta = b[[2]]); se <- c(se, sqrt(v[2, 2])) }
    }
    for (j in seq_along(est)) {
      add(cn, dist, names(est)[j], "estimate", est[[j]]); add(cn, dist, names(est)[j], "se", se[[j]])
    }
    add(cn, dist, "", "loglik", fit$loglik[2])
    add(cn, dist, "", "n", nrow(d)); add(cn, dist, "", "events", ev)
  }
  # hand-written likelihoods
  a_w <- 1 / wb$scale; lb_w <- coef(wb)[[1]]; c_w <- if (nc) coef(wb)[[2]] else NULL
  for (dist in c("gompertz", "gengamma", "spline1", "spline2", "spline3")) {
    knots <- NULL
    if (dist == "gompertz") {
      rate <- ev / sum(d$time)
      start <- c(shape = 1e-3 * rate, log_rate = log(rate)); names_p <- c("shape", "log_rate")
      if (nc) start <- c(start, 0)
    } else if (dist == "gengamma") {
      start <- c(lb_w, -log(a_w), 1); names_p <- c("mu", "log_sigma", "Q")
      if (nc) start <- c(start, c_w)
    } else {
      K <- as.integer(substring(dist, 7))
      lte <- log(d$time[d$event == 1])
      knots <- c(min(lte), quantile(lte, seq(0, 1, length = K + 2)[-c(1, K + 2)]), max(lte))
      start <- c(-a_w * lb_w, a_w, rep(0, K)); names_p <- paste0("gamma", 0:(K + 1))
      if (nc) start <- c(start, -a_w * c_w)
    }
    np <- length(names_p)
    if (ev < np + nc + 1) next
    ll <- loglik_fn(dist, d$time, d$event, x, knots)
    nll <- function(p) -ll(p)
    o0 <- optim(start, nll, control = list(maxit = 20000, reltol = 1e-12))
    o <- nlminb(o0$par, nll, control = list(rel.tol = 1e-15, x.tol = 1e-14, eval.max = 1e5, iter.max = 1e5))
    o2 <- optim(o$par, nll, method = "BFGS", control = list(reltol = 1e-16, maxit = 1e5, parscale = pmax(abs(o$par), 1e-2)))
    o3 <- nlminb(o2$par, nll, control = list(rel.tol = 1e-15, x.tol = 1e-14, eval.max = 1e5, iter.max = 1e5))
    par <- o3$par
    # Newton polish with central-difference gradient and Hessian (nlminb's own
    # finite-difference gradient leaves 1e-5 on ill-conditioned fits such as lung's
    # splines, time in days); a step is kept only if it does not lower the likelihood
    gr <- function(p) sapply(seq_along(p), function(j) {
      h <- 1e-5 * max(abs(p[j]), 1e-2); e <- replace(rep(0, length(p)), j, h)
      (nll(p + e) - nll(p - e)) / (2 * h) })
    for (it in 1:20) {
      H <- optimHess(par, nll, gr, control = list(ndeps = 1e-4 * pmax(abs(par), 1e-2)))
      new <- par - solve(H, gr(par))
      if (nll(new) > nll(par)) break
      done <- max(abs(new - par)) < 1e-10
      par <- new
      if (done) break
    }
    o3$objective <- nll(par)
    H <- optimHess(par, nll, gr, control = list(ndeps = 1e-4 * pmax(abs(par), 1e-2)))
    se <- sqrt(diag(solve(H)))
    nm <- c(names_p, if (nc) "beta")
    for (j in seq_along(par)) {
      add(cn, dist, nm[j], "estimate", par[j]); add(cn, dist, nm[j], "se", se[j])
    }
    add(cn, dist, "", "loglik", -o3$objective)
    add(cn, dist, "", "n", nrow(d)); add(cn, dist, "", "events", ev)
    add(cn, dist, "", "convergence", o3$convergence)
    if (!is.null(knots)) for (j in seq_along(knots)) add(cn, dist, paste0("knot", j), "knot", knots[[j]])
  }
}
write.csv(do.call(rbind, rows), file.path(out, "fits.csv"), row.names = FALSE)
write.csv(data.frame(R = R.version.string, survival = as.character(packageVersion("survival"))),
          file.path(out, "versions.csv"), row.names = FALSE)
