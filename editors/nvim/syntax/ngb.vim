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
syn keyword ngbMathFunction clip floor ceiling ceil erf erfc gamma loggamma lgamma factorial binomial Piecewise where
syn keyword ngbMathFunction sin cos tan sec csc cot asin acos atan atan2 sinh cosh asinh acosh atanh
syn keyword ngbMathFunction arcsin arccos arctan arcsinh arccosh arctanh

" The catalog (neurogebra/catalog): activations and losses.
syn keyword ngbCatalog relu relu6 leaky_relu prelu elu selu celu gelu gelu_tanh swish mish softplus sigmoid
syn keyword ngbCatalog hard_sigmoid hard_swish softsign tanh hard_tanh linear log_sigmoid tanhshrink softshrink
syn keyword ngbCatalog bent_identity
syn keyword ngbCatalog mse mae huber smooth_l1 pseudo_huber log_cosh binary_crossentropy bce_with_logits
syn keyword ngbCatalog cross_entropy focal hinge squared_hinge quantile epsilon_insensitive poisson kl_div msle mape
syn keyword ngbCatalog gaussian_nll contrastive triplet

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
