# Export the R `survival` datasets that netter's reference tests use, as plain CSV.
# Run from tests/reference:  Rscript datasets.R
# Columns: time (as in R), event (1 = event, 0 = censored), group, strata columns.
suppressPackageStartupMessages(library(survival))
out <- "data"
dir.create(out, showWarnings = FALSE)
w <- function(df, name) write.csv(df, file.path(out, paste0(name, ".csv")), row.names = FALSE)

# lung: NCCTG advanced lung cancer; time in days, many ties; group = sex; strata = ph.ecog
lg <- lung[!is.na(lung$ph.ecog), ]
w(data.frame(time = lg$time, event = as.integer(lg$status == 2),
             group = ifelse(lg$sex == 1, "male", "female"), ecog = lg$ph.ecog,
             inst = ifelse(is.na(lg$inst), 0L, lg$inst)), "lung")

# lung_months: the same times rounded up to whole months -> heavy ties
w(data.frame(time = ceiling(lg$time / 30.4375), event = as.integer(lg$status == 2),
             group = ifelse(lg$sex == 1, "male", "female"), ecog = lg$ph.ecog), "lung_months")

# veteran: VA lung cancer trial; group = trt (standard/test); strata = celltype
w(data.frame(time = veteran$time, event = veteran$status,
             group = ifelse(veteran$trt == 1, "standard", "test"),
             celltype = as.character(veteran$celltype), prior = veteran$prior), "veteran")

# aml: maintenance chemotherapy; small, hand-checkable
w(data.frame(time = aml$time, event = aml$status, group = as.character(aml$x)), "aml")

# ovarian: small, group = rx, strata = resid.ds
w(data.frame(time = ovarian$futime, event = ovarian$fustat,
             group = ifelse(ovarian$rx == 1, "A", "B"), resid = ovarian$resid.ds,
             ecog = ovarian$ecog.ps), "ovarian")

# colon (deaths only): three arms (Obs, Lev, Lev+5FU) for multi-arm comparisons
cd <- colon[colon$etype == 2, ]
w(data.frame(time = cd$time, event = cd$status, group = as.character(cd$rx),
             sex = cd$sex, differ = ifelse(is.na(cd$differ), 0L, cd$differ)), "colon_death")
