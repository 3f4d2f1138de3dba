"""Evaluation metrics, written on the aggregates they are computed from (counts, sums, rates) or per element."""
from neurogebra.catalog.entry import CLOSED_UNIT, NON_NEGATIVE, POSITIVE, Entry
from neurogebra.domains import Domain

RATE = Domain(0.0, 1.0, hi_closed=True)
AT_LEAST_ONE = Domain(1.0, lo_closed=True)
RATES = {"precision": RATE, "recall": RATE}

ENTRIES = (
    Entry(
        "f1", "2*precision*recall/(precision + recall)", ("precision", "recall"), "metric",
        "F1 score: harmonic mean of precision and recall.",
        "Classification with imbalanced classes.",
        ("balances precision and recall",),
        ("ignores true negatives",),
        domain=RATES, value_range=RATE, aliases=("f1_score", "f1_score_formula"),
    ),
    Entry(
        "fbeta", "(1 + beta^2)*precision*recall/(beta^2*precision + recall)", ("precision", "recall"), "metric",
        "F-beta score: recall weighted beta times as much as precision.",
        "When missing positives (beta > 1) or false alarms (beta < 1) cost more.",
        ("tunable trade-off",),
        ("ignores true negatives",),
        params={"beta": 1.0}, domain={**RATES, "beta": POSITIVE}, value_range=RATE,
        aliases=("fbeta_score", "fbeta_score_formula"),
    ),
    Entry(
        "r2_score", "1 - ss_res/ss_tot", ("ss_res", "ss_tot"), "metric",
        "Coefficient of determination from the residual and total sums of squares.",
        "Goodness of fit in regression.",
        ("scale-free; 1 is a perfect fit, 0 predicts the mean",),
        ("can be arbitrarily negative", "undefined for constant targets (ss_tot = 0)"),
        domain={"ss_res": NON_NEGATIVE, "ss_tot": POSITIVE}, value_range=Domain(hi=1.0, hi_closed=True),
        aliases=("r2", "r_squared"),
    ),
    Entry(
        "smape", "2*Abs(y_pred - y_true)/(Abs(y_pred) + Abs(y_true))", ("y_pred", "y_true"), "metric",
        "Symmetric absolute percentage error of one prediction (as a fraction between 0 and 2).",
        "Forecast accuracy where over- and under-prediction should count alike.",
        ("bounded", "scale-free"),
        ("undefined when both are 0", "not truly symmetric for a fixed target"),
        domain={"y_pred": POSITIVE, "y_true": POSITIVE}, value_range=Domain(0.0, 2.0, lo_closed=True),
        aliases=("smape_elem",),
    ),
    Entry(
        "relative_error", "Abs(y_pred - y_true)/Abs(y_true)", ("y_pred", "y_true"), "metric",
        "Absolute error relative to the target's magnitude.",
        "Checking numerical results; scale-free regression error.",
        ("scale-free",),
        ("undefined at y_true = 0",),
        domain={"y_true": POSITIVE}, value_range=NON_NEGATIVE, aliases=("mape_elem",),
    ),
    Entry(
        "perplexity", "exp(nll)", ("nll",), "metric",
        "Perplexity from the mean negative log-likelihood per token (in nats).",
        "Language models.",
        ("interpretable as an effective branching factor",),
        ("only comparable with the same tokenizer",),
        domain={"nll": NON_NEGATIVE}, value_range=Domain(1.0, lo_closed=True),
    ),
    Entry(
        "balanced_accuracy", "(tpr + tnr)/2", ("tpr", "tnr"), "metric",
        "Balanced accuracy: mean of the true positive and true negative rates.",
        "Classification with imbalanced classes.",
        ("insensitive to class imbalance",),
        ("weighs both classes equally even when costs differ",),
        domain={"tpr": CLOSED_UNIT, "tnr": CLOSED_UNIT}, value_range=CLOSED_UNIT,
    ),
    Entry(
        "accuracy_elem", "Piecewise((1, y_pred == y_true), (0, True))", ("y_pred", "y_true"), "metric",
        "Accuracy of one prediction: 1 when the predicted label equals the true label, else 0; the batch mean "
        "is the accuracy.",
        "Classification with balanced classes.",
        ("easy to explain",),
        ("zero gradient: a metric, not a training loss", "misleading with imbalanced classes"),
        value_range=CLOSED_UNIT,
    ),
    Entry(
        "precision_formula", "tp/(tp + fp)", ("tp", "fp"), "metric",
        "Precision: the share of predicted positives that are true positives, TP/(TP + FP).",
        "When false alarms are costly (spam filters, search results).",
        ("ignores the many true negatives of rare-event problems",),
        ("undefined without predicted positives", "says nothing about missed positives"),
        domain={"tp": POSITIVE, "fp": NON_NEGATIVE}, value_range=RATE,
    ),
    Entry(
        "recall_formula", "tp/(tp + fn)", ("tp", "fn"), "metric",
        "Recall (sensitivity, true positive rate): the share of actual positives found, TP/(TP + FN).",
        "When missed positives are costly (screening, fraud detection).",
        ("ignores the many true negatives of rare-event problems",),
        ("undefined without actual positives", "says nothing about false alarms"),
        domain={"tp": POSITIVE, "fn": NON_NEGATIVE}, value_range=RATE, aliases=("sensitivity_formula",),
    ),
    Entry(
        "specificity_formula", "tn/(tn + fp)", ("tn", "fp"), "metric",
        "Specificity (true negative rate): the share of actual negatives recognized, TN/(TN + FP).",
        "Medical tests and any task where false alarms matter; with recall, the ROC curve.",
        ("complements recall",),
        ("undefined without actual negatives",),
        domain={"tn": POSITIVE, "fp": NON_NEGATIVE}, value_range=RATE,
    ),
    Entry(
        "matthews_corr", "(tp*tn - fp*fn)/(sqrt(tp + fp)*sqrt(tp + fn)*sqrt(tn + fp)*sqrt(tn + fn))",
        ("tp", "tn", "fp", "fn"), "metric",
        "Matthews correlation coefficient from the confusion counts: the correlation between predicted and "
        "true labels, from -1 to 1 (the square roots taken one by one so huge counts do not overflow).",
        "Binary classification with imbalanced classes; a single balanced summary of the confusion matrix.",
        ("uses all four counts", "0 for random guessing whatever the class balance"),
        ("undefined when a row or column of the confusion matrix is empty",),
        domain={"tp": POSITIVE, "tn": POSITIVE, "fp": POSITIVE, "fn": POSITIVE},
        value_range=Domain(-1.0, 1.0, lo_closed=True, hi_closed=True), aliases=("mcc",),
    ),
    Entry(
        "brier_score_elem", "(p - y)^2", ("p", "y"), "metric",
        "Brier score of one prediction: the squared difference between the predicted probability p and the "
        "outcome y (0 or 1); the batch mean is the Brier score.",
        "Checking the calibration of probabilistic classifiers and forecasts.",
        ("proper scoring rule", "bounded, unlike log loss"),
        ("weak at telling apart small probabilities",),
        domain={"p": CLOSED_UNIT, "y": CLOSED_UNIT}, value_range=CLOSED_UNIT,
    ),
    Entry(
        "rmse_formula", "sqrt(mse_val)", ("mse_val",), "metric",
        "Root mean squared error from a mean squared error: back in the units of the target.",
        "Reporting regression error in the target's units.",
        ("same units as the target",),
        ("as sensitive to outliers as the MSE", "infinite slope at 0: train on the MSE instead"),
        domain={"mse_val": POSITIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "adjusted_r_squared", "1 - (1 - r2_value)*(n_samples - 1)/(n_samples - n_features - 1)", ("r2_value",),
        "metric",
        "Adjusted R^2 from R^2 (r2_value): R^2 penalized for the number of features n_features fitted on "
        "n_samples observations (needs n_samples > n_features + 1).",
        "Comparing regression models with different numbers of features.",
        ("does not rise just because features are added",),
        ("can be negative", "still only a fit statistic, not a test of generalization"),
        params={"n_samples": 100.0, "n_features": 5.0},
        domain={"r2_value": Domain(hi=1.0, hi_closed=True), "n_samples": Domain(2.0), "n_features": NON_NEGATIVE},
        value_range=Domain(hi=1.0, hi_closed=True),
    ),
    Entry(
        "explained_variance_ratio", "eigenvalue/total_variance", ("eigenvalue", "total_variance"), "metric",
        "Share of the total variance explained by one principal component: its eigenvalue over the sum of all "
        "eigenvalues.",
        "Choosing the number of PCA components (scree plots).",
        ("interpretable as a fraction",),
        ("linear structure only",),
        domain={"eigenvalue": NON_NEGATIVE, "total_variance": POSITIVE}, value_range=NON_NEGATIVE,
        deviation="2.5.11 divides by total_variance + 1e-8, which halves the ratio when the total variance is 1e-8 "
        "(data on a 1e-4 scale); ours divides by the total variance.",
    ),
    Entry(
        "jaccard_index", "n_intersect/n_union", ("n_intersect", "n_union"), "metric",
        "Jaccard index (intersection over union) from the sizes of the intersection and the union.",
        "Segmentation and detection quality (IoU), set similarity.",
        ("scale-free, easy to explain",),
        ("undefined for two empty sets", "zero gradient as a count: use a soft IoU to train"),
        domain={"n_intersect": NON_NEGATIVE, "n_union": POSITIVE}, value_range=NON_NEGATIVE, aliases=("iou",),
    ),
    Entry(
        "dice_coefficient", "2*n_intersect/(size_a + size_b)", ("n_intersect", "size_a", "size_b"), "metric",
        "Dice coefficient (F1 of sets): twice the intersection over the sum of the two sets' sizes.",
        "Medical image segmentation; the soft Dice loss is 1 minus it on probabilities.",
        ("less harsh than IoU on small objects",),
        ("undefined for two empty sets",),
        domain={"n_intersect": NON_NEGATIVE, "size_a": POSITIVE, "size_b": POSITIVE}, value_range=NON_NEGATIVE,
        aliases=("dice",),
    ),
    Entry(
        "cosine_distance_metric", "1 - dot_ab/(norm_a*norm_b)", ("dot_ab", "norm_a", "norm_b"), "metric",
        "Cosine distance 1 - cos(a, b) from the dot product and the norms of two vectors: 0 for the same "
        "direction, 2 for opposite ones.",
        "Comparing embeddings (retrieval, clustering of text or images).",
        ("ignores the vectors' lengths",),
        ("undefined for a zero vector", "not a true metric (no triangle inequality)"),
        domain={"norm_a": POSITIVE, "norm_b": POSITIVE},
        deviation="2.5.11 divides by norm_a*norm_b + 1e-8: two equal vectors of norm 1e-4 are at distance 0.5 "
        "instead of 0; ours divides by norm_a*norm_b.",
    ),
    Entry(
        "reciprocal_rank", "1/rank", ("rank",), "metric",
        "Reciprocal rank of the first relevant result; its mean over queries is the MRR.",
        "Search and question answering where the first good answer matters.",
        ("simple", "rewards putting one good answer first"),
        ("ignores every relevant result after the first",),
        domain={"rank": AT_LEAST_ONE}, value_range=Domain(0.0, 1.0, hi_closed=True),
    ),
    Entry(
        "dcg_elem", "rel*log(2)/log(pos + 1)", ("rel", "pos"), "metric",
        "One position's term of the discounted cumulative gain: relevance rel at rank pos, discounted by "
        "log2(pos + 1).",
        "Ranking quality with graded relevance (search, recommendation).",
        ("graded relevance", "rewards relevant items near the top"),
        ("unnormalized: divide by the ideal DCG (ndcg_formula)",),
        domain={"rel": NON_NEGATIVE, "pos": AT_LEAST_ONE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "ndcg_formula", "dcg/idcg", ("dcg", "idcg"), "metric",
        "Normalized DCG: the DCG over the ideal DCG (the best possible order), between 0 and 1.",
        "Comparing rankings across queries with different numbers of relevant items.",
        ("comparable across queries",),
        ("undefined for a query with no relevant items",),
        domain={"dcg": NON_NEGATIVE, "idcg": POSITIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "aic", "2*k - 2*log_likelihood", ("log_likelihood",), "metric",
        "Akaike information criterion for a model with k parameters and maximized log-likelihood; lower is "
        "better.",
        "Model selection that trades fit against the number of parameters.",
        ("cheap: needs only the log-likelihood",),
        ("only compares models fitted to the same data",),
        params={"k": 1.0}, domain={"k": NON_NEGATIVE},
    ),
    Entry(
        "bic", "k*log(n_obs) - 2*log_likelihood", ("log_likelihood",), "metric",
        "Bayesian information criterion for a model with k parameters fitted to n_obs observations; lower is "
        "better.",
        "Model selection that penalizes parameters more than AIC for large samples.",
        ("consistent: picks the true model as data grows (if it is a candidate)",),
        ("only compares models fitted to the same data",),
        params={"k": 1.0, "n_obs": 100.0}, domain={"k": NON_NEGATIVE, "n_obs": AT_LEAST_ONE},
    ),
)
