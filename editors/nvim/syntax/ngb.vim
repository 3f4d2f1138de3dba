" Vim syntax file
" Language: Neurogebra (.ngb): function definitions, derivative claims, evaluations, @domain lines.

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

syn match ngbDomain "^\s*@domain\>"
syn keyword ngbDomainWord contained in
syn match ngbDomainLine "^\s*@domain\>.*$" contains=ngbDomain,ngbDomainWord,ngbNumber,ngbConstant,ngbOperator,ngbDelimiter,ngbComment

syn keyword ngbMathFunction exp log ln log1p expm1 log2 log10 sqrt cbrt pow Abs abs sign Heaviside Max max Min min
syn keyword ngbMathFunction clip floor ceiling ceil softplus logsumexp erf erfc gamma loggamma lgamma factorial binomial Piecewise where
syn keyword ngbMathFunction sin cos tan sec csc cot asin acos atan atan2 sinh cosh tanh asinh acosh atanh
syn keyword ngbMathFunction arcsin arccos arctan arcsinh arccosh arctanh

" The catalog (neurogebra/catalog). tests/editors/test_nvim.py keeps both lists equal to the library's.
syn keyword ngbCatalog arcsinh_transform asinh_transform balanced_accuracy bce bce_with_logits bent_identity
syn keyword ngbCatalog binary_crossentropy binary_entropy box_cox categorical_crossentropy cauchy_pdf cce celu contrastive
syn keyword ngbCatalog cross_entropy elastic_net elu epsilon_insensitive expit exponential_pdf f1 f1_score fbeta
syn keyword ngbCatalog fbeta_score focal focal_loss gaussian_log_pdf gaussian_nll gaussian_pdf gelu gelu_approx gelu_tanh
syn keyword ngbCatalog hard_sigmoid hard_swish hard_tanh hardswish hardtanh hinge huber huber_loss identity kl_div
syn keyword ngbCatalog kl_divergence kld l1 l1_l2 l1_loss l2 l2_loss laplace_pdf lasso leaky_relu linear log1p_transform
syn keyword ngbCatalog log_barrier log_cosh log_loss log_odds log_sigmoid logcosh logistic logistic_pdf logit logsigmoid
syn keyword ngbCatalog mae mape mean_absolute_error mean_absolute_percentage_error mean_squared_error
syn keyword ngbCatalog mean_squared_log_error min_max min_max_scale minmax mish mse msle normal_cdf normal_log_pdf
syn keyword ngbCatalog normal_pdf perplexity phi pinball poisson poisson_nll prelu probit_inverse pseudo_huber quantile r2
syn keyword ngbCatalog r2_score r_squared relative_error relu relu6 ridge selu sigmoid silu smape smooth_l1 softplus
syn keyword ngbCatalog softshrink softsign squared_hinge standard_normal_cdf standardize swish symlog tanh tanhshrink
syn keyword ngbCatalog triplet triplet_margin weight_decay z_score zscore

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
