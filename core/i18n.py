"""The one table of user-facing strings, English and 中文.

Every key must have both languages (tests/test_i18n.py checks). Strings may hold
`str.format` fields; `t()` fills them.
"""

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {
    # ---- app / navigation ----
    "app.title": {"en": "Loss & decision-boundary playground", "zh": "损失函数与决策边界实验场"},
    "app.language": {"en": "Language", "zh": "语言"},
    # ---- navigation, landing page ----
    "nav.home": {"en": "Home", "zh": "首页"},
    "nav.2d": {"en": "2D playground", "zh": "二维实验场"},
    "home.intro": {
        "en": "Pick a loss, inject label noise, change the learning rate — and watch the decision boundary and the loss curves move live.",
        "zh": "选择损失函数、注入标签噪声、调整学习率——实时观察决策边界和损失曲线的变化。"},
    "home.teaches": {"en": "What you can see here", "zh": "在这里你可以看到"},
    "home.topic.ce": {"en": "Cross-entropy and its gradient (p − y)x; the boundary w·x + b = 0 of logistic regression.",
                      "zh": "交叉熵及其梯度 (p − y)x；逻辑回归的决策边界 w·x + b = 0。"},
    "home.topic.relu": {"en": "ReLU networks as piecewise-linear maps: boundaries made of straight pieces.",
                        "zh": "ReLU 网络是分段线性映射：决策边界由直线段拼成。"},
    "home.topic.losses": {"en": "MSE (Brier) vs MAE vs Huber, hinge and exponential losses, focal loss.",
                          "zh": "均方误差（Brier）、平均绝对误差与 Huber 损失的对比，合页损失、指数损失和焦点损失。"},
    "home.topic.noise": {"en": "Label noise: cross-entropy memorises flipped labels, robust losses such as GCE resist.",
                         "zh": "标签噪声：交叉熵会记住被翻转的标签，GCE 等鲁棒损失能够抵抗。"},
    "home.topic.reg": {"en": "Label smoothing, L2 penalty in the loss vs decoupled weight decay (AdamW).",
                       "zh": "标签平滑，损失中的 L2 惩罚与解耦权重衰减（AdamW）的对比。"},
    "home.pages": {"en": "Pages", "zh": "页面"},
    "home.page.2d": {"en": "Live decision boundaries on 2D toy data (blobs, XOR, circles, moons, spirals, exam scores, your own CSV).",
                     "zh": "二维玩具数据上的实时决策边界（高斯团、异或、同心圆、双月、螺旋、考试成绩，或你自己的 CSV）。"},
    "home.howto": {"en": "Choose settings in the sidebar and press ▶ Play. Every setting is kept in the page address: copy it to share the exact run.",
                   "zh": "在侧边栏中选择设置，然后按 ▶ 播放。所有设置都保存在网页地址中：复制地址即可分享完全相同的实验。"},
    # ---- URL warnings ----
    "warn.url.unknown": {"en": "Ignored unknown link parameter “{key}”.", "zh": "已忽略未知的链接参数“{key}”。"},
    "warn.url.bad_value": {"en": "Link parameter “{key}” has an invalid value “{value}”; using the default instead.",
                           "zh": "链接参数“{key}”的值“{value}”无效，已改用默认值。"},
    # ---- 2D page ----
    "p2d.title": {"en": "2D playground", "zh": "二维实验场"},
    "p2d.intro": {"en": "Train a classifier on 2D points and watch its decision boundary move. Shading shows class probabilities; the dark line is where the predicted class changes.",
                  "zh": "在二维点上训练分类器并观察决策边界的移动。颜色深浅表示类别概率；深色线是预测类别改变的位置。"},
    "p2d.section.data": {"en": "Data", "zh": "数据"},
    "p2d.section.noise": {"en": "Label noise", "zh": "标签噪声"},
    "p2d.section.model": {"en": "Model", "zh": "模型"},
    "p2d.section.loss": {"en": "Loss", "zh": "损失函数"},
    "p2d.section.optimizer": {"en": "Optimizer", "zh": "优化器"},
    "p2d.dataset": {"en": "Data set", "zh": "数据集"},
    "data.upload.name": {"en": "Upload CSV…", "zh": "上传 CSV…"},
    "data.upload.desc": {"en": "Your own points: a CSV file with columns x1, x2, label.", "zh": "你自己的数据点：包含 x1、x2、label 三列的 CSV 文件。"},
    "p2d.upload": {"en": "CSV file (x1, x2, label)", "zh": "CSV 文件（x1, x2, label）"},
    "p2d.upload_help": {"en": "Up to 20,000 rows and 2 MB; labels are integers; 2 to 10 classes.",
                        "zh": "最多 20,000 行、2 MB；标签为整数；2 到 10 个类别。"},
    "p2d.upload_refused": {"en": "File refused: {reason}", "zh": "文件被拒绝：{reason}"},
    "p2d.upload_needed": {"en": "Upload a CSV file in the sidebar to train on your own points.",
                          "zh": "请在侧边栏上传 CSV 文件，以便在你自己的数据点上训练。"},
    "p2d.n_classes": {"en": "Classes", "zh": "类别数"},
    "p2d.n_samples": {"en": "Points", "zh": "样本点数"},
    "p2d.input_noise": {"en": "Input noise", "zh": "输入噪声"},
    "p2d.input_noise_help": {"en": "Jitter of the points' positions (standard deviation in data units). Separate from label noise.",
                             "zh": "数据点位置的抖动（以数据单位表示的标准差）。与标签噪声相互独立。"},
    "p2d.test_fraction": {"en": "Test fraction", "zh": "测试集比例"},
    "p2d.seed": {"en": "Seed", "zh": "随机种子"},
    "p2d.seed_help": {"en": "Same seed, same data, same label noise, same initial weights.",
                      "zh": "相同的种子会得到相同的数据、标签噪声和初始权重。"},
    "p2d.noise_kind": {"en": "Kind", "zh": "类型"},
    "p2d.noise_rate": {"en": "Flip rate", "zh": "翻转比例"},
    "p2d.noise_pairs": {"en": "Flips (source>target)", "zh": "翻转（源类别>目标类别）"},
    "p2d.noise_pairs_help": {"en": "For example “0>1” or “0>1, 1>2” or “0<>1” (swap). The rate applies to each source class.",
                             "zh": "例如“0>1”、“0>1, 1>2”或“0<>1”（互换）。比例分别作用于每个源类别。"},
    "p2d.noise_pairs_bad": {"en": "Flips not understood ({reason}); using “0>1”.", "zh": "无法理解翻转设置（{reason}）；改用“0>1”。"},
    "p2d.model": {"en": "Model", "zh": "模型"},
    "p2d.depth": {"en": "Hidden layers", "zh": "隐藏层数"},
    "p2d.width": {"en": "Neurons per layer", "zh": "每层神经元数"},
    "p2d.activation": {"en": "Activation", "zh": "激活函数"},
    "p2d.loss": {"en": "Loss function", "zh": "损失函数"},
    "p2d.optimizer": {"en": "Optimizer", "zh": "优化器"},
    "p2d.lr": {"en": "Learning rate", "zh": "学习率"},
    "p2d.batch_size": {"en": "Batch size", "zh": "批大小"},
    "p2d.full_batch": {"en": "full", "zh": "全批量"},
    "p2d.weight_decay": {"en": "Weight decay λ", "zh": "权重衰减 λ"},
    "p2d.wd_mode": {"en": "Apply λ as", "zh": "λ 的作用方式"},
    "p2d.adamw_note": {"en": "AdamW always decouples weight decay from the gradient.", "zh": "AdamW 总是将权重衰减与梯度解耦。"},
    "p2d.wd_l2": {"en": "Training loss also includes the L2 penalty (λ/2)·‖w‖², λ = {wd}.",
                  "zh": "训练损失另含 L2 惩罚项 (λ/2)·‖w‖²，λ = {wd}。"},
    "p2d.wd_decoupled": {"en": "Decoupled weight decay: after each step w ← w·(1 − ηλ), λ = {wd}, outside the gradient.",
                         "zh": "解耦权重衰减：每步之后 w ← w·(1 − ηλ)，λ = {wd}，不经过梯度。"},
    "p2d.speed": {"en": "Speed", "zh": "速度"},
    "p2d.play": {"en": "▶ Play", "zh": "▶ 播放"},
    "p2d.pause": {"en": "⏸ Pause", "zh": "⏸ 暂停"},
    "p2d.step": {"en": "⏭ Step", "zh": "⏭ 单步"},
    "p2d.reset": {"en": "↺ Reset", "zh": "↺ 重置"},
    "p2d.reset_data": {"en": "The data changed, so training restarted from new initial weights.",
                       "zh": "数据已改变，训练已从新的初始权重重新开始。"},
    "p2d.reset_model": {"en": "The model changed, so training restarted from new initial weights (same data).",
                        "zh": "模型已改变，训练已从新的初始权重重新开始（数据不变）。"},
    "p2d.reset_done": {"en": "Reset: same data, fresh initial weights from the seed.", "zh": "已重置：数据不变，按种子重新生成初始权重。"},
    "p2d.status": {"en": "Step {step} · epoch {epoch} · train loss {train:.4f} · test loss {test:.4f} · test accuracy {acc:.1%} · learning rate {lr}",
                   "zh": "第 {step} 步 · 第 {epoch} 轮 · 训练损失 {train:.4f} · 测试损失 {test:.4f} · 测试准确率 {acc:.1%} · 学习率 {lr}"},
    "p2d.diverged": {"en": "Training diverged at step {step} (the loss became NaN or infinite) with learning rate {lr}. Training is paused and the weights were restored to step {restored}. Lower the learning rate, then press Play.",
                     "zh": "训练在第 {step} 步发散（损失变为 NaN 或无穷大），学习率为 {lr}。训练已暂停，权重已恢复到第 {restored} 步。请降低学习率后再按播放。"},
    "p2d.legend": {"en": "filled dot: training point (colour = given label) · ring: test point · black outer ring: flipped label · red ring: misclassified",
                   "zh": "实心点：训练点（颜色 = 给定标签）· 圆环：测试点 · 黑色外环：被翻转的标签 · 红色圆环：分类错误"},
    "p2d.loss_legend": {"en": "Loss: blue = training (on the given labels), orange dashed = test (clean labels).",
                        "zh": "损失：蓝色 = 训练集（使用给定标签），橙色虚线 = 测试集（干净标签）。"},
    "p2d.acc_legend": {"en": "Accuracy: blue = training, orange dashed = test; with label noise also green = clean training points, black = flipped points that the model fits to their wrong label (memorisation).",
                       "zh": "准确率：蓝色 = 训练集，橙色虚线 = 测试集；有标签噪声时，绿色 = 干净训练点，黑色 = 模型拟合到错误标签的被翻转点（记忆）。"},
    "p2d.interactive_curves": {"en": "Interactive curves (hover for values)", "zh": "交互式曲线（悬停查看数值）"},
    "p2d.axis_loss": {"en": "loss", "zh": "损失"},
    "p2d.axis_acc": {"en": "accuracy", "zh": "准确率"},
    "metric.step": {"en": "optimizer step", "zh": "优化步数"},
    "metric.train_loss": {"en": "training loss", "zh": "训练损失"},
    "metric.test_loss": {"en": "test loss", "zh": "测试损失"},
    "metric.train_acc": {"en": "training accuracy", "zh": "训练准确率"},
    "metric.test_acc": {"en": "test accuracy", "zh": "测试准确率"},
    "metric.train_acc_clean": {"en": "clean training points", "zh": "干净训练点"},
    "metric.train_acc_flipped": {"en": "flipped points fitted to the wrong label", "zh": "拟合到错误标签的被翻转点"},
    "p2d.history_table": {"en": "Recorded metrics", "zh": "记录的指标"},
    # ---- registry names ----
    "model.logistic": {"en": "Logistic regression (linear)", "zh": "逻辑回归（线性）"},
    "model.mlp": {"en": "Neural network (MLP)", "zh": "神经网络（多层感知机）"},
    "act.relu": {"en": "ReLU", "zh": "ReLU"},
    "act.tanh": {"en": "tanh", "zh": "tanh"},
    "act.sigmoid": {"en": "sigmoid", "zh": "sigmoid"},
    "act.linear": {"en": "linear (none)", "zh": "线性（无激活）"},
    "opt.sgd": {"en": "SGD", "zh": "SGD（随机梯度下降）"},
    "opt.momentum": {"en": "SGD + momentum 0.9", "zh": "SGD + 动量 0.9"},
    "opt.adam": {"en": "Adam", "zh": "Adam"},
    "opt.adamw": {"en": "AdamW", "zh": "AdamW"},
    "wd.l2": {"en": "L2 in the loss", "zh": "损失中的 L2"},
    "wd.decoupled": {"en": "decoupled", "zh": "解耦"},
    "speed.slow": {"en": "slow", "zh": "慢"},
    "speed.normal": {"en": "normal", "zh": "正常"},
    "speed.fast": {"en": "fast", "zh": "快"},
    "speed.fastest": {"en": "fastest", "zh": "最快"},
    # ---- MNIST data (core/mnist_data.py) ----
    "data.mnist.name": {"en": "MNIST digits", "zh": "MNIST 手写数字"},
    "data.fashion.name": {"en": "Fashion-MNIST clothing", "zh": "Fashion-MNIST 服饰图像"},
    "err.mnist.missing": {
        "en": "{dataset} files are missing. Put these files: {files} into the folder {folder} "
              "(they can be downloaded from {url}), then reload the page.",
        "zh": "缺少 {dataset} 数据文件。请把以下文件：{files} 放入文件夹 {folder}"
              "（可从 {url} 下载），然后刷新页面。",
    },
    "err.mnist.download_failed": {
        "en": "Could not download from {url} ({reason}). Download these files yourself: {files} "
              "and put them into the folder {folder}.",
        "zh": "无法从 {url} 下载（{reason}）。请自行下载以下文件：{files}，并放入文件夹 {folder}。",
    },
    "err.mnist.corrupt": {
        "en": "The file {file} is damaged or incomplete and was not used. Delete it, then put a good "
              "copy into the folder {folder} or download it again.",
        "zh": "文件 {file} 已损坏或不完整，未被使用。请删除它，然后把完好的副本放入文件夹 {folder}，或重新下载。",
    },
    "mnist.source.test_only": {
        "en": "Only the official test set (10,000 images) is available here, so it is split into "
              "8,000 training and 2,000 test images (always the same split). Accuracies are not "
              "comparable with models trained on the full 60,000-image training set.",
        "zh": "这里只有官方测试集（10,000 张图像），因此将其固定划分为 8,000 张训练图像和 2,000 张测试图像"
              "（每次划分相同）。准确率不能与在完整的 60,000 张训练集上训练的模型直接比较。",
    },
    "mnist.progress": {"en": "Downloading {done}/{total}: {file}", "zh": "正在下载 {done}/{total}：{file}"},
    "fashion.class.0": {"en": "T-shirt/top", "zh": "T恤/上衣"},
    "fashion.class.1": {"en": "Trouser", "zh": "裤子"},
    "fashion.class.2": {"en": "Pullover", "zh": "套头衫"},
    "fashion.class.3": {"en": "Dress", "zh": "连衣裙"},
    "fashion.class.4": {"en": "Coat", "zh": "外套"},
    "fashion.class.5": {"en": "Sandal", "zh": "凉鞋"},
    "fashion.class.6": {"en": "Shirt", "zh": "衬衫"},
    "fashion.class.7": {"en": "Sneaker", "zh": "运动鞋"},
    "fashion.class.8": {"en": "Bag", "zh": "包"},
    "fashion.class.9": {"en": "Ankle boot", "zh": "短靴"},
    # ---- losses (core/losses.py) ----
    "loss.cross_entropy.name": {"en": "Cross-entropy", "zh": "交叉熵"},
    "loss.cross_entropy.desc": {
        "en": "Negative log-probability of the true class; the standard choice, unbounded for confident mistakes.",
        "zh": "真实类别的负对数概率；最常用的损失，对高置信度的错误惩罚无上限。",
    },
    "loss.label_smoothing.name": {"en": "Label smoothing", "zh": "标签平滑"},
    "loss.label_smoothing.desc": {
        "en": "Cross-entropy against softened targets (ε spread over all classes); curbs overconfidence.",
        "zh": "以平滑后的目标（ε 均匀分给所有类别）计算交叉熵，抑制过度自信。",
    },
    "loss.brier.name": {"en": "Brier score", "zh": "Brier 分数"},
    "loss.brier.desc": {
        "en": "Squared error between predicted probabilities and the one-hot label; bounded and calibration-friendly.",
        "zh": "预测概率与独热标签之间的平方误差；有界，且有利于概率校准。",
    },
    "loss.mae.name": {"en": "Mean absolute error", "zh": "平均绝对误差"},
    "loss.mae.desc": {
        "en": "Absolute error on probabilities, 2(1 − p_y); very robust to label noise but slow to learn.",
        "zh": "概率上的绝对误差，即 2(1 − p_y)；对标签噪声非常鲁棒，但学习较慢。",
    },
    "loss.huber.name": {"en": "Huber", "zh": "Huber 损失"},
    "loss.huber.desc": {
        "en": "On probabilities: squared error for small errors, linear beyond δ; between Brier and MAE.",
        "zh": "作用于概率：误差小于 δ 时为平方误差，超过后为线性；介于 Brier 分数与平均绝对误差之间。",
    },
    "loss.hinge.name": {"en": "Hinge", "zh": "合页损失"},
    "loss.hinge.desc": {
        "en": "SVM loss: zero once the true class wins by a margin of 1, linear otherwise.",
        "zh": "支持向量机的损失：真实类别领先幅度达到 1 后为零，否则线性增长。",
    },
    "loss.squared_hinge.name": {"en": "Squared hinge", "zh": "平方合页损失"},
    "loss.squared_hinge.desc": {
        "en": "Hinge loss squared: smooth at the margin, harsher on large violations.",
        "zh": "合页损失的平方：在间隔处光滑，对严重违反间隔的样本惩罚更重。",
    },
    "loss.exponential.name": {"en": "Exponential", "zh": "指数损失"},
    "loss.exponential.desc": {
        "en": "AdaBoost's loss, e^(−margin); very sensitive to outliers (continued linearly past e^30 to stay finite).",
        "zh": "AdaBoost 使用的损失 e^(−间隔)；对离群点极其敏感（超过 e^30 后线性延续以保持有限）。",
    },
    "loss.gce.name": {"en": "Generalised cross-entropy", "zh": "广义交叉熵"},
    "loss.gce.desc": {
        "en": "Generalised cross-entropy: between CE (q→0) and MAE (q=1); resists label noise.",
        "zh": "广义交叉熵：介于交叉熵（q→0）与平均绝对误差（q=1）之间，对标签噪声更鲁棒。",
    },
    "loss.focal.name": {"en": "Focal", "zh": "焦点损失"},
    "loss.focal.desc": {
        "en": "Cross-entropy scaled by (1 − p_y)^γ: down-weights easy examples, focuses on hard ones (γ=0 is CE).",
        "zh": "以 (1 − p_y)^γ 加权的交叉熵：降低易分样本的权重，聚焦难分样本（γ=0 即交叉熵）。",
    },
    "loss.param.eps": {"en": "Smoothing ε", "zh": "平滑系数 ε"},
    "loss.param.delta": {"en": "Huber threshold δ", "zh": "Huber 阈值 δ"},
    "loss.param.q": {"en": "Exponent q", "zh": "指数 q"},
    "loss.param.gamma": {"en": "Focusing γ", "zh": "聚焦参数 γ"},
    # ---- data and label noise (core/data2d.py, core/noise.py) ----
    "data.blobs.name": {"en": "Two blobs", "zh": "两团点"},
    "data.blobs.desc": {
        "en": "Two well-separated clusters: a straight line is enough.",
        "zh": "两个分得很开的点团：一条直线就能分开。",
    },
    "data.xor.name": {"en": "XOR", "zh": "异或（XOR）"},
    "data.xor.desc": {
        "en": "Four quadrant clusters, labelled by the sign of x1·x2: no single line separates them.",
        "zh": "四个象限各一团点，按 x1·x2 的符号标注：任何一条直线都分不开。",
    },
    "data.circles.name": {"en": "Circles", "zh": "同心圆"},
    "data.circles.desc": {
        "en": "An inner disc surrounded by a ring: the boundary must close around the centre.",
        "zh": "内圆盘被外圆环包围：决策边界必须围住中心。",
    },
    "data.moons.name": {"en": "Moons", "zh": "双月牙"},
    "data.moons.desc": {
        "en": "Two interleaving half-moons: separable, but only by a curved boundary.",
        "zh": "两个相互交错的半月形：可以分开，但边界必须弯曲。",
    },
    "data.spiral.name": {"en": "Spiral", "zh": "螺旋"},
    "data.spiral.desc": {
        "en": "Two intertwined spiral arms: the hardest two-class shape here.",
        "zh": "两条相互缠绕的螺旋臂：这里最难的二分类形状。",
    },
    "data.exam.name": {"en": "Exam scores", "zh": "考试成绩"},
    "data.exam.desc": {
        "en": "Two exam scores (0–100); admitted when their total passes a threshold. "
        "Here noise blurs the pass line, in score points.",
        "zh": "两门考试成绩（0–100）；总分超过分数线即录取。这里的噪声以分数为单位模糊录取线。",
    },
    "data.blobs_multi.name": {"en": "Blobs (multiclass)", "zh": "多类点团"},
    "data.blobs_multi.desc": {
        "en": "K clusters placed on a circle, one per class (K = 3 to 6).",
        "zh": "K 个点团排成一圈，每类一个（K = 3 到 6）。",
    },
    "data.spiral_multi.name": {"en": "Spiral (multiclass)", "zh": "多类螺旋"},
    "data.spiral_multi.desc": {
        "en": "K intertwined spiral arms, one per class (K = 3 to 6).",
        "zh": "K 条相互缠绕的螺旋臂，每类一条（K = 3 到 6）。",
    },
    "err.csv.too_large": {
        "en": "The file is {size:,} bytes; the limit is {limit:,} bytes.",
        "zh": "文件大小为 {size:,} 字节，超过上限 {limit:,} 字节。",
    },
    "err.csv.too_many_rows": {
        "en": "The file has {rows:,} data rows; the limit is {limit:,}.",
        "zh": "文件有 {rows:,} 行数据，超过上限 {limit:,} 行。",
    },
    "err.csv.encoding": {
        "en": "The file is not UTF-8 text. Save it as CSV (UTF-8) and try again.",
        "zh": "文件不是 UTF-8 文本。请另存为 CSV（UTF-8）后重试。",
    },
    "err.csv.columns": {
        "en": "Line {line}: expected 3 comma-separated values (x1,x2,label), found {found}.",
        "zh": "第 {line} 行：应有 3 个以逗号分隔的值（x1,x2,label），实际为 {found} 个。",
    },
    "err.csv.missing": {
        "en": "Line {line}: a value is missing.",
        "zh": "第 {line} 行：缺少数值。",
    },
    "err.csv.not_numeric": {
        "en": "Line {line}: “{value}” is not a finite number.",
        "zh": "第 {line} 行：“{value}” 不是有限的数字。",
    },
    "err.csv.label_not_int": {
        "en": "Line {line}: the label “{value}” is not an integer.",
        "zh": "第 {line} 行：标签 “{value}” 不是整数。",
    },
    "err.csv.one_class": {
        "en": "All rows have the same label; at least 2 classes are needed.",
        "zh": "所有行的标签都相同；至少需要 2 个类别。",
    },
    "err.csv.too_many_classes": {
        "en": "The file has {count} different labels; at most {limit} classes are supported.",
        "zh": "文件中有 {count} 种不同的标签；最多支持 {limit} 个类别。",
    },
    "err.csv.too_few_rows": {
        "en": "The file has {rows} data rows; at least {minimum} are needed.",
        "zh": "文件只有 {rows} 行数据；至少需要 {minimum} 行。",
    },
    "err.csv.empty": {"en": "The file is empty.", "zh": "文件是空的。"},
    "err.pairs.syntax": {
        "en": "“{token}” is not a pair; write a>b (some a become b) or a<>b (swap), separated by commas.",
        "zh": "“{token}” 不是有效的类别对；请写成 a>b（部分 a 变为 b）或 a<>b（互换），用逗号分隔。",
    },
    "err.pairs.range": {
        "en": "Class {cls} does not exist; classes are 0 to {max}.",
        "zh": "类别 {cls} 不存在；类别范围是 0 到 {max}。",
    },
    "err.pairs.same": {
        "en": "Class {cls} cannot be relabelled as itself.",
        "zh": "类别 {cls} 不能被改标为它自己。",
    },
    "err.pairs.duplicate": {
        "en": "Class {cls} is listed as a source more than once.",
        "zh": "类别 {cls} 作为来源出现了不止一次。",
    },
    "noise.none": {"en": "No label noise", "zh": "无标签噪声"},
    "noise.none.desc": {
        "en": "Training labels are the clean labels.",
        "zh": "训练标签即为干净标签。",
    },
    "noise.symmetric": {"en": "Symmetric", "zh": "对称噪声"},
    "noise.symmetric.desc": {
        "en": "A fixed share of training labels is moved to a random other class.",
        "zh": "按固定比例把训练标签随机改成另一个类别。",
    },
    "noise.pairs": {"en": "Class pairs", "zh": "类别对噪声"},
    "noise.pairs.desc": {
        "en": "Class-dependent: a share of class a is relabelled as b, like 7 mistaken for 1.",
        "zh": "与类别相关：类别 a 的一部分样本被标成 b，比如把 7 误认作 1。",
    },
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **fields) -> str:
    """Look up `key` in `lang`; unknown keys show themselves so a gap is visible, not fatal."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**fields) if fields else text
