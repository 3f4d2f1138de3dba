" Vim syntax file
" Language: Neurogebra (.ngb): function definitions, derivative claims, evaluations, @domain and @shape lines.

if exists("b:current_syntax")
  finish
endif

syn keyword ngbTodo contained TODO FIXME XXX NOTE
syn match ngbComment "#.*$" contains=ngbTodo,@Spell

syn match ngbNumber "\<\d\+\(\.\d*\)\=\([eE][+-]\=\d\+\)\=\>"
syn match ngbNumber "\.\d\+\([eE][+-]\=\d\+\)\=\>"
syn keyword ngbConstant pi e E inf oo nan
syn match ngbOperator "[-+*/^=<>!%]"
syn match ngbOperator "\*\*"
syn match ngbDelimiter "[()[\],]"

" f(x) =   (a name and its parameters at the start of a line, followed by `=`)
syn match ngbDefinition "^\s*\zs\h\w*\ze\s*([^)]*)\s*=[^=]"
" lr = 0.1
syn match ngbDefinition "^\s*\zs\h\w*\ze\s*=[^=]"
" f'  f''(x)  d/dx  ∂f/∂x  d²f/dx²
syn match ngbDerivative "\<\h\w*'\+"
syn match ngbDerivative "\<d\s*/\s*d\h\w*\>"
syn match ngbDerivative "∂\s*\h\w*\s*/\s*∂\s*\h\w*"
syn match ngbDerivative "\<d[²³]\h\w*/d\h\w*[²³]"
" ∇_W L = ...  J_x f = ...  H_x L = ...  ∇²_x L = ...  (the gradient, Jacobian, Hessian of L in W)
syn match ngbDerivative "^\s*\zs\(∇²\=_\=\|[JH]_\)\h\w*\s\+\h\w*\ze\s*=[^=]"

syn match ngbDomain "^\s*@\(domain\|shape\)\>"
syn keyword ngbDomainWord contained in
syn match ngbDomainLine "^\s*@\(domain\|shape\)\>.*$" contains=ngbDomain,ngbDomainWord,ngbNumber,ngbConstant,ngbOperator,ngbDelimiter,ngbComment

syn keyword ngbMathFunction Abs abs acos acosh arccos arccosh arcsin arcsinh arctan arctanh asin asinh atan atan2 atanh
syn keyword ngbMathFunction besseli besselj besselk bessely beta betaln binomial cbrt ceil ceiling clip cos cosh cot
syn keyword ngbMathFunction csc digamma Eq erf erfc erfcinv erfinv exp exp2 expm1 factorial floor gamma Heaviside hypot
syn keyword ngbMathFunction LambertW lambertw lgamma ln log log10 log1p log2 loggamma logsumexp Max max Min min Mod mod
syn keyword ngbMathFunction Ne Piecewise polygamma pow sec sign sin sinc sinh softplus sqrt tan tanh tanhshrink where zeta

" The catalog (neurogebra/catalog). tests/editors/test_nvim.py keeps both lists equal to the library's.
syn keyword ngbCatalog abs_val absolute_value accuracy_elem ackley_2d adagrad_step adam_bias_correction_m
syn keyword ngbCatalog adam_bias_correction_v adam_m_update adam_step adam_v_update adamw_step adjusted_r_squared aic
syn keyword ngbCatalog arccos arccosh arcsin arcsinh arcsinh_transform arctan arctan2 arctanh asinh_transform
syn keyword ngbCatalog balanced_accuracy batch_norm_elem bayes_posterior_kernel bce bce_with_logits bent_identity
syn keyword ngbCatalog beta_distribution beta_func beta_pdf bic binary_crossentropy binary_entropy box_cox
syn keyword ngbCatalog box_cox_approx brier_score_elem canberra_dist_elem categorical_crossentropy cauchy_distribution
syn keyword ngbCatalog cauchy_pdf cauchy_reg cbrt cce celu chain_rule characteristic_normal characteristic_normal_imag
syn keyword ngbCatalog chebyshev_dist chi_squared_kernel clamp clip_transform coefficient_of_variation
syn keyword ngbCatalog confidence_penalty constant_lr contrastive cos cosh cosine_annealing_lr cosine_distance_metric
syn keyword ngbCatalog cosine_similarity cot cross_entropy cross_entropy_elem csc cubic cyclical_lr damped_oscillation
syn keyword ngbCatalog dcg_elem determinant_2x2 dice dice_coefficient difference_transform digamma dot_product_elem
syn keyword ngbCatalog double_exponential eigenvalue_2x2 elastic_net elbo elu ema_update entropy_reg
syn keyword ngbCatalog epsilon_insensitive erf erfc euclidean_dist_elem evidence_lower_bound exp exp_decay exp_growth
syn keyword ngbCatalog expit explained_variance_ratio exponential_cdf exponential_decay_lr exponential_pdf
syn keyword ngbCatalog exponential_smoothing f1 f1_score f1_score_formula fbeta fbeta_score fbeta_score_formula
syn keyword ngbCatalog finite_difference focal focal_loss fourier_feature_cos fourier_feature_sin fourier_kernel_imag
syn keyword ngbCatalog fourier_kernel_real fourier_term frobenius_elem gamma_func gaussian gaussian_basis
syn keyword ngbCatalog gaussian_log_pdf gaussian_nll gaussian_pdf geglu gelu gelu_approx gelu_tanh glorot_normal_std
syn keyword ngbCatalog glorot_uniform_bound glu gompertz gradient_clip_norm gradient_clip_value gradient_descent_step
syn keyword ngbCatalog gradient_penalty group_lasso gumbel_pdf hard_sigmoid hard_swish hard_tanh hardshrink hardswish
syn keyword ngbCatalog hardtanh he_normal_std he_uniform_bound heaviside hill_equation hinge huber huber_loss
syn keyword ngbCatalog huber_loss_elem huber_norm_elem identity inverse_sqrt_lr inverse_square iou jaccard_index
syn keyword ngbCatalog js_divergence_elem kaiming_normal_std kaiming_uniform_bound kl_div kl_divergence
syn keyword ngbCatalog kl_divergence_elem kl_divergence_reg kld l1 l1_l2 l1_loss l1_norm_elem l2 l2_loss l2_norm_elem
syn keyword ngbCatalog l2_normalize label_smoothing laplace_distribution laplace_kernel laplace_pdf laplacian_kernel
syn keyword ngbCatalog lasso layer_norm_elem leaky_relu lecun_normal_std lecun_uniform_bound lerp linear linear_eq
syn keyword ngbCatalog linear_regression_pred ln log10 log10_transform log1p_transform log2 log_barrier log_cosh
syn keyword ngbCatalog log_linear log_loss log_loss_elem log_normal_pdf log_odds log_prior_normal log_return
syn keyword ngbCatalog log_sigmoid log_softmax log_softmax_score log_transform logarithmic logcosh logistic
syn keyword ngbCatalog logistic_cdf logistic_pdf logistic_regression_pred logit lognormal_pdf logsigmoid logsumexp
syn keyword ngbCatalog lorentzian lp_norm_elem lse mae mae_elem mahalanobis_1d manhattan_dist_elem mape mape_elem
syn keyword ngbCatalog matern_12_kernel matern_32_kernel matthews_corr max_abs_scale max_norm mcc mcp
syn keyword ngbCatalog mean_absolute_error mean_absolute_percentage_error mean_squared_error mean_squared_log_error
syn keyword ngbCatalog mgf_exponential mgf_normal michaelis_menten min_max min_max_normalize min_max_scale
syn keyword ngbCatalog min_max_to_range minkowski_dist_elem minmax mish momentum_step monomial moving_average_weight
syn keyword ngbCatalog mse mse_elem msle mutual_info_bound ndcg_formula nesterov_step normal_cdf normal_log_pdf
syn keyword ngbCatalog normal_pdf nth_root one_cycle_approx_lr orthogonal_reg orthogonal_residual_elem
syn keyword ngbCatalog pearson_r_component periodic_kernel perplexity phi pinball poisson poisson_nll
syn keyword ngbCatalog polynomial_decay_lr polynomial_kernel pooled_variance positional_enc_cos positional_enc_sin
syn keyword ngbCatalog power_law power_transform precision_formula prelu probit probit_inverse product_rule
syn keyword ngbCatalog pseudo_huber quadratic quadratic_bowl quantile quartic quick_gelu quotient_rule r2 r2_score
syn keyword ngbCatalog r_squared ramp rastrigin_2d rational rational_quadratic_kernel rayleigh rayleigh_pdf rbf_kernel
syn keyword ngbCatalog recall_formula reciprocal reciprocal_rank reglu relative_error relu relu6 relu_squared
syn keyword ngbCatalog richards_curve ridge rmse_formula rmsprop_step robust_scale rosenbrock sawtooth_approx scad
syn keyword ngbCatalog scaled_dot_product sec sech selu sensitivity_formula sgd_step sigmoid sigmoid_kernel
syn keyword ngbCatalog sigmoid_transform sign_function silu simpsons_rule sin sinc sinh sinusoidal smape smape_elem
syn keyword ngbCatalog smooth_l1 smootherstep smoothstep snake softmax softmax_score softmin softplus
syn keyword ngbCatalog softplus_transform softshrink softsign softsign_transform specificity_formula sqrt sqrt_reg
syn keyword ngbCatalog sqrt_transform square square_root square_wave_approx squared_hinge squared_relu squareplus
syn keyword ngbCatalog standard_error standard_normal_cdf standard_normal_pdf standardize step_decay_lr student_t
syn keyword ngbCatalog student_t_kernel survival_exponential swiglu swish symlog t_statistic tan tanh tanh_func
syn keyword ngbCatalog tanh_transform tanhshrink taylor_arctan taylor_cos taylor_exp taylor_ln1px taylor_sin
syn keyword ngbCatalog thermometer_bit tikhonov total_variation trace_2x2 trapezoidal_rule triplet triplet_margin
syn keyword ngbCatalog uniform_pdf vector_projection_scalar warmup_linear_lr wavelet_mexican_hat wavelet_morlet
syn keyword ngbCatalog weibull_survival weight_decay winsorize xavier_normal_std xavier_uniform_bound yeo_johnson
syn keyword ngbCatalog yeo_johnson_positive z_score z_score_normalize zscore

hi def link ngbTodo Todo
hi def link ngbComment Comment
hi def link ngbNumber Number
hi def link ngbConstant Constant
hi def link ngbOperator Operator
hi def link ngbDelimiter Delimiter
hi def link ngbDefinition Function
hi def link ngbDerivative Special
hi def link ngbDomain PreProc
hi def link ngbDomainWord Keyword
hi def link ngbMathFunction Identifier
hi def link ngbCatalog Type

let b:current_syntax = "ngb"
