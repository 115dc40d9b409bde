-- An approx target may carry the tolerance it is judged with ("around 5%, ±0.5"), as
-- canonical decimal text in the indicator's unit. Empty means the default rule
-- (src/rules.rs). Only targets carry one; the store enforces that on write.
ALTER TABLE figures ADD COLUMN tolerance TEXT;
