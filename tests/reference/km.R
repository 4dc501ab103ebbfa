# Reference values for netter.stats.km / quantiles / rmst (the one-sample Kaplan-Meier family).
#
# Run from tests/reference:  Rscript km.R
# Generated with R 4.2.2 (2022-11-10 r83330) and survival 3.5.3; base R only otherwise.
#
# Reads data/*.csv (exported by datasets.R) and the hand-made cases km/inputs/*.csv
# (columns time, event [1 = event, 0 = censored], optional group) and writes, under km/:
#   survfit.csv          survfit(): time, n.risk, n.event, n.censor, surv, std.err, lower, upper
#   landmarks.csv        summary(fit, times = ..., extend = TRUE)
#   quantiles.csv        quantile(fit, probs = ...)
#   print_median.csv     median and its CI from print(fit) / summary(fit)$table
#   median_followup.csv  quantile(survfit(Surv(time, 1 - event) ~ 1), probs = 0.5)
#   rmst.csv             summary(fit, rmean = tau)$table (rmean, se(rmean)), see rmean_of()
#   rmst_difference.csv  difference of two arms' RMSTs, computed here without any package
# Every number is written with 17 significant digits; NA/NaN are written as NA, infinities as Inf.
# "subset" is "all" (every subject) or one value of the group column (the curve of that arm).
suppressPackageStartupMessages(library(survival))
if (packageVersion("survival") != "3.5.3") {
  warning("reference values were generated with survival 3.5.3, this is ", packageVersion("survival"))
}

out <- "km"
conf_types <- c("log", "log-log", "plain")
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
collect <- new.env()
add <- function(name, df) collect[[name]] <- c(collect[[name]], list(df))
write_all <- function() {
  for (name in ls(collect)) {
    df <- do.call(rbind, collect[[name]])
    for (col in names(df)) if (is.numeric(df[[col]])) df[[col]] <- num(df[[col]])
    write.csv(df, file.path(out, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  }
}

# --- inputs ---------------------------------------------------------------------------------
read_case <- function(path) {
  df <- read.csv(path, stringsAsFactors = FALSE)
  if (!"group" %in% names(df)) df$group <- NA_character_
  df[, c("time", "event", "group")]
}
cases <- list()
for (f in sort(list.files("data", pattern = "\\.csv$", full.names = TRUE))) {
  cases[[sub("\\.csv$", "", basename(f))]] <- read_case(f)
}
for (f in sort(list.files(file.path(out, "inputs"), pattern = "\\.csv$", full.names = TRUE))) {
  cases[[sub("\\.csv$", "", basename(f))]] <- read_case(f)
}

# --- package-free restricted mean, to cross-check survmean() --------------------------------
rmst_manual <- function(time, event, tau) {
  ut <- sort(unique(time))
  nr <- sapply(ut, function(u) sum(time >= u))
  d <- sapply(ut, function(u) sum(time == u & event == 1))
  s <- cumprod(1 - d / nr)
  h <- ifelse(nr > d, d / (nr * (nr - d)), 0)
  keep <- ut <= tau
  knots <- c(0, ut[keep], tau)                  # S is carried forward from the last time <= tau
  level <- c(1, s[keep])
  area <- diff(knots) * level
  tail_area <- rev(cumsum(rev(area)))[-1]       # area from each kept time to tau
  c(rmean = sum(area), se = sqrt(sum(tail_area^2 * h[keep])))
}

# survmean() is what print() and summary() call; summary() refuses tau < first time, so the
# tables are taken from summary() whenever it accepts tau and from survmean() otherwise.
rmean_of <- function(fit, tau) {
  direct <- survival:::survmean(fit, scale = 1, rmean = tau)$matrix
  if (tau >= min(fit$time)) {
    tab <- summary(fit, rmean = tau)$table
    stopifnot(isTRUE(all.equal(unname(tab[c("rmean", "se(rmean)")]),
                               unname(direct[c("rmean", "se(rmean)")]), tolerance = 1e-14)))
  }
  unname(direct[c("rmean", "se(rmean)")])
}

landmark_times <- function(all_time, sub_time) {
  qs <- unname(quantile(all_time, c(0.1, 0.25, 0.5, 0.75, 0.9), type = 1))
  mids <- unname(quantile(all_time, c(0.33, 0.66), type = 1)) + 0.5
  sort(unique(c(0, min(all_time) / 2, qs, mids, max(sub_time), max(sub_time) + 1,
                max(all_time), max(all_time) + 1)))
}
rmst_taus <- function(all_time) {
  qs <- unname(quantile(all_time, c(0.25, 0.5, 0.9), type = 1))
  taus <- c(min(all_time) / 2 + 0.25, qs, qs[2] + 0.5, max(all_time), max(all_time) * 1.2 + 1)
  sort(unique(taus[taus > 0]))                  # netter refuses tau <= 0
}

# --- one curve ------------------------------------------------------------------------------
one_curve <- function(case, subset, time, event, all_time, ct, level) {
  key <- data.frame(case = case, subset = subset, conf_type = ct, conf_level = level)
  fit <- survfit(Surv(time, event) ~ 1, conf.type = ct, conf.int = level)
  add("survfit", cbind(key, time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event,
                       n_censor = fit$n.censor, surv = fit$surv, std_err_log_surv = fit$std.err,
                       lower = fit$lower, upper = fit$upper, row.names = NULL))

  lt <- landmark_times(all_time, time)
  s <- summary(fit, times = lt, extend = TRUE)
  stopifnot(length(s$time) == length(lt))
  add("landmarks", cbind(key, time = s$time, n_risk = s$n.risk, surv = s$surv,
                         std_err = s$std.err, lower = s$lower, upper = s$upper, row.names = NULL))

  probs <- c(0.1, 0.25, 0.5, 0.75, 0.9)
  q <- quantile(fit, probs = probs)
  add("quantiles", cbind(key, q = probs, estimate = unname(q$quantile), lower = unname(q$lower),
                         upper = unname(q$upper), row.names = NULL))

  tab <- summary(fit)$table
  add("print_median", cbind(key, estimate = unname(tab["median"]),
                            lower = unname(tab[grep("LCL", names(tab))]),
                            upper = unname(tab[grep("UCL", names(tab))])))

  rev_fit <- survfit(Surv(time, 1 - event) ~ 1, conf.type = ct, conf.int = level)
  rq <- quantile(rev_fit, probs = 0.5)
  add("median_followup", cbind(key, estimate = unname(rq$quantile), lower = unname(rq$lower),
                               upper = unname(rq$upper)))

  if (ct == "log" && level == 0.95) {          # the restricted mean does not use the CI type
    for (tau in rmst_taus(all_time)) {
      r <- rmean_of(fit, tau)
      m <- rmst_manual(time, event, tau)
      stopifnot(isTRUE(all.equal(r, unname(m), tolerance = 1e-12)))
      add("rmst", data.frame(case = case, subset = subset, tau = tau, rmean = r[1], se_rmean = r[2],
                             last_time = max(time)))
    }
  }
}

for (case in names(cases)) {
  df <- cases[[case]]
  groups <- sort(unique(df$group[!is.na(df$group)]))
  subsets <- c("all", groups)
  levels <- if (case %in% c("aml", "lung", "hand")) c(0.95, 0.9) else 0.95
  for (subset in subsets) {
    rows <- if (subset == "all") rep(TRUE, nrow(df)) else df$group == subset
    for (ct in conf_types) for (level in levels) {
      one_curve(case, subset, df$time[rows], df$event[rows], df$time, ct, level)
    }
  }
}

# --- differences of restricted means (arm minus reference), normal CI, two-sided p ----------
contrasts <- list(
  aml = c("Maintained", "Nonmaintained"), lung = c("female", "male"),
  lung_months = c("female", "male"), veteran = c("test", "standard"), ovarian = c("B", "A"),
  colon_death = c("Lev", "Obs"), colon_death = c("Lev+5FU", "Obs"), two_arms = c("B", "A")
)
for (i in seq_along(contrasts)) {
  case <- names(contrasts)[i]
  arm <- contrasts[[i]][1]
  ref <- contrasts[[i]][2]
  df <- cases[[case]]
  for (tau in rmst_taus(df$time)) for (level in c(0.95, 0.9)) {
    a <- rmst_manual(df$time[df$group == arm], df$event[df$group == arm], tau)
    b <- rmst_manual(df$time[df$group == ref], df$event[df$group == ref], tau)
    est <- unname(a["rmean"] - b["rmean"])
    se <- unname(sqrt(a["se"]^2 + b["se"]^2))
    z <- qnorm(1 - (1 - level) / 2)
    add("rmst_difference", data.frame(case = case, arm = arm, reference = ref, tau = tau,
                                      conf_level = level, estimate = est, se = se,
                                      lower = est - z * se, upper = est + z * se,
                                      p_value = 2 * pnorm(abs(est) / se, lower.tail = FALSE)))
  }
}

write_all()
cat("wrote", paste0(out, "/", ls(collect), ".csv"), "\n")
