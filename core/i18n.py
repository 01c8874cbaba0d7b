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
    "p2d.loss_legend": {"en": "Loss: blue = training (on the given labels), orange = test (clean labels).",
                        "zh": "损失：蓝色 = 训练集（使用给定标签），橙色 = 测试集（干净标签）。"},
    "p2d.acc_legend": {"en": "Accuracy: blue = training, orange = test; with label noise also green = clean training points, black = flipped points that the model fits to their wrong label (memorisation).",
                       "zh": "准确率：蓝色 = 训练集，橙色 = 测试集；有标签噪声时，绿色 = 干净训练点，黑色 = 模型拟合到错误标签的被翻转点（记忆）。"},
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
        "en": "{dataset} files are missing. Put these files: {files} into {folder} "
              "(they can be downloaded from {url}), then reload the page.",
        "zh": "缺少 {dataset} 数据文件。请把以下文件：{files} 放入{folder}"
              "（可从 {url} 下载），然后刷新页面。",
    },
    "err.mnist.download_failed": {
        "en": "Could not download from {url} ({reason}). Download these files yourself: {files} "
              "and put them into {folder}.",
        "zh": "无法从 {url} 下载（{reason}）。请自行下载以下文件：{files}，并放入{folder}。",
    },
    "err.mnist.corrupt": {
        "en": "The file {file} in {folder} is damaged or incomplete and was not used. Delete it, then put "
              "a good copy there or download it again.",
        "zh": "{folder}中的文件 {file} 已损坏或不完整，未被使用。请删除它，然后放入完好的副本，或重新下载。",
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
    # ---- export, history, presets ----
    "err.import.too_large": {"en": "the file is {size} bytes; the limit is {limit}.", "zh": "文件大小为 {size} 字节；上限为 {limit}。"},
    "err.import.encoding": {"en": "the file is not UTF-8 text.", "zh": "文件不是 UTF-8 文本。"},
    "err.import.not_json": {"en": "the file is not valid JSON ({reason}).", "zh": "文件不是有效的 JSON（{reason}）。"},
    "err.import.not_run": {"en": "this is not a run file exported by this playground.", "zh": "这不是本实验场导出的实验文件。"},
    "err.import.version": {"en": "unsupported run-file version {found}.", "zh": "不支持的实验文件版本 {found}。"},
    "err.import.page": {"en": "unknown page “{found}” in the run file.", "zh": "实验文件中的页面“{found}”未知。"},
    "err.import.config": {"en": "the settings in the file are malformed: {reason}.", "zh": "文件中的设置格式错误：{reason}。"},
    "err.import.weights": {"en": "the weights cannot be loaded: {reason}.", "zh": "无法载入权重：{reason}。"},
    "preset.mse_vs_ce.title": {"en": "MSE vs cross-entropy for classification", "zh": "分类任务中的均方误差与交叉熵"},
    "preset.mse_vs_ce.text": {"en": "For a sigmoid output, squared error on the probability (the Brier score) has the gradient 2(p − y)·p(1 − p) with respect to the logit, which fades as p saturates, so confidently wrong points teach the network almost nothing. Cross-entropy's gradient is simply p − y, so with the same network, data, seed and SGD steps it usually fits the moons noticeably sooner.",
                              "zh": "对 sigmoid 输出而言，概率上的平方误差（Brier 分数）对 logit 的梯度是 2(p − y)·p(1 − p)，当 p 趋于饱和时梯度消失，所以自信地犯错的点几乎教不了网络什么。交叉熵的梯度就是 p − y，因此在相同的网络、数据、种子和 SGD 步数下，它通常明显更快地拟合双月牙数据。"},
    "preset.noise_ce_vs_gce.title": {"en": "Label noise: cross-entropy memorises, GCE resists", "zh": "标签噪声：交叉熵会记忆，GCE 能抵抗"},
    "preset.noise_ce_vs_gce.text": {"en": "30% of the training labels are flipped and the network is large enough to memorise them: watch the black curve of flipped points fitted to their wrong label, which cross-entropy drives up as it carves little islands around the wrong labels. Generalised cross-entropy with q = 0.7 scales each point's gradient by p_y^q, so points the model finds implausible pull much less and its boundary stays closer to the clean circle.",
                                    "zh": "30% 的训练标签被翻转，而网络大到足以记住它们：观察“拟合到错误标签的被翻转点”这条黑色曲线，交叉熵会让它不断上升，在错误标签周围划出小岛。q = 0.7 的广义交叉熵把每个点的梯度乘以 p_y^q，模型认为不可信的点拉力小得多，因此它的边界更接近干净的圆。"},
    "preset.exp_vs_logistic.title": {"en": "Exponential vs logistic loss with flipped labels", "zh": "有翻转标签时的指数损失与逻辑损失"},
    "preset.exp_vs_logistic.text": {"en": "One in five points of class 0 is relabelled as class 1, and these flipped points sit deep on the wrong side of any good line. The exponential loss e^(−m) pulls on each point with strength e^(−m), so these badly misclassified points dominate and drag its line into the class-0 blob; the logistic loss (cross-entropy) pulls with strength at most 1 per point, so its line stays between the blobs.",
                                    "zh": "类别 0 中每五个点就有一个被改标为类别 1，这些被翻转的点深处于任何好直线的错误一侧。指数损失 e^(−m) 对每个点的拉力为 e^(−m)，因此这些严重误分类的点占据主导，把它的直线拖进类别 0 的点团；而逻辑损失（交叉熵）对每个点的拉力至多为 1，所以它的直线仍停留在两团点之间。"},
    "preset.lr_too_high.title": {"en": "Learning rate too high", "zh": "学习率过高"},
    "preset.lr_too_high.text": {"en": "Each SGD step moves the weights by the learning rate times the gradient, and at learning rate 3 every step overshoots the bottom of the loss valley and lands higher up on the other side, where the slope is even steeper. With the quadratic squared hinge loss these overshoots grow geometrically until the loss becomes infinite, so training pauses and the last good weights are restored: lower the learning rate to 0.1 and press Play again.",
                                "zh": "每一步 SGD 都把权重移动“学习率 × 梯度”那么远；学习率为 3 时，每一步都会越过损失谷底，落到对面更高、更陡的地方。平方合页损失是二次的，这样的越界会成倍放大，直到损失变为无穷大，于是训练暂停并恢复最后一组正常的权重：把学习率降到 0.1 再按播放即可。"},
    "preset.smoothing_calibration.title": {"en": "Label smoothing and calibration", "zh": "标签平滑与校准"},
    "preset.smoothing_calibration.text": {"en": "Cross-entropy is smallest when the true class gets probability 1, so on 5,000 images the network keeps growing its logits and becomes over-confident: it makes its mistakes with near-certainty and its reliability bars fall below the diagonal. Label smoothing with ε = 0.1 aims at 0.91 for the true class and 0.01 for each other class instead, which keeps the confidence closer to the accuracy: compare the test loss and the calibration of the two runs.",
                                          "zh": "当真实类别的概率为 1 时交叉熵最小，所以在 5,000 张图片上网络会不断放大 logit，变得过度自信：它犯错时也几乎确信无疑，可靠性图中的柱子落到对角线下方。标签平滑（ε = 0.1）改以真实类别 0.91、其他每个类别 0.01 为目标，使置信度更接近准确率：比较两个实验的测试损失和校准情况。"},
    "preset.l2_vs_adamw.title": {"en": "L2 in the loss vs AdamW", "zh": "损失中的 L2 与 AdamW"},
    "preset.l2_vs_adamw.text": {"en": "With Adam, an L2 penalty in the loss adds λw to the gradient, which Adam then divides by its running gradient scale, so once the data are fitted and the gradients are small it shrinks the weights hard, and unevenly from weight to weight. AdamW applies the same λ as decoupled weight decay, w ← w·(1 − ηλ) after each step, which is gentle here: the two runs end with very different weight sizes and confidence.",
                                "zh": "使用 Adam 时，损失中的 L2 惩罚会在梯度中加入 λw，随后又被 Adam 的梯度尺度估计所除，所以一旦数据已被拟合、梯度变小，它就会强烈而且因权重而异地收缩权重。AdamW 把同样的 λ 用作解耦权重衰减，每步之后 w ← w·(1 − ηλ)，在这里作用很温和：两个实验最终的权重大小和置信度差别很大。"},
    "preset.relu_pieces.title": {"en": "ReLU networks are piecewise linear", "zh": "ReLU 网络是分段线性的"},
    "preset.relu_pieces.text": {"en": "Each of the six ReLU units switches on along one straight line, so the network is linear inside each region those lines cut out. The boundary around the inner circle is therefore a polygon made of straight pieces.",
                                "zh": "六个 ReLU 单元各自沿一条直线开启，因此在这些直线划分出的每个区域内，网络都是线性的。所以内圈周围的决策边界是由直线段组成的多边形。"},
    "preset.logistic_line.title": {"en": "Logistic regression draws a line", "zh": "逻辑回归画出一条直线"},
    "preset.logistic_line.text": {"en": "Two exam scores predict admission, and logistic regression models p = σ(w·x + b). Its decision boundary is exactly the line w·x + b = 0, drawn in black, and its gradient is (p − y)x.",
                                  "zh": "用两门考试成绩预测是否录取，逻辑回归的模型是 p = σ(w·x + b)。它的决策边界恰好是直线 w·x + b = 0（黑色），梯度为 (p − y)x。"},
    # ---- run history, export/import, presets UI ----
    "nav.runs": {"en": "Run history", "zh": "实验记录"},
    "home.page.runs": {"en": "Every run of this session: compare curves, reopen a trained model, delete, export.",
                       "zh": "本次会话的所有实验：对比曲线、重新打开训练好的模型、删除、导出。"},
    "home.presets": {"en": "Classroom lessons", "zh": "课堂示例"},
    "home.presets_help": {"en": "One click opens a ready-made experiment; press ▶ Play on the page that opens.",
                          "zh": "点击即可打开准备好的实验；在打开的页面上按 ▶ 播放。"},
    "home.open_preset": {"en": "Open this lesson", "zh": "打开此示例"},
    "runs.title": {"en": "Run history", "zh": "实验记录"},
    "runs.intro": {"en": "Every run you start on any page is kept here for this browser session, with its settings and curves.",
                   "zh": "你在任何页面上开始的每个实验都会在本次浏览器会话中保存在这里，包括设置和曲线。"},
    "runs.empty": {"en": "No runs yet: open a page and train something.", "zh": "还没有实验：打开一个页面开始训练吧。"},
    "runs.col.page": {"en": "page", "zh": "页面"},
    "runs.col.title": {"en": "run", "zh": "实验"},
    "runs.col.steps": {"en": "steps", "zh": "步数"},
    "runs.col.age": {"en": "started", "zh": "开始于"},
    "runs.page.2d": {"en": "2D", "zh": "二维"},
    "runs.page.mnist": {"en": "MNIST", "zh": "MNIST"},
    "runs.page.compare": {"en": "compare", "zh": "对比"},
    "runs.compare": {"en": "Compare", "zh": "对比"},
    "runs.choose": {"en": "Runs to compare (up to 4)", "zh": "要对比的实验（最多 4 个）"},
    "runs.manage": {"en": "Reopen, delete, export", "zh": "重新打开、删除、导出"},
    "runs.pick": {"en": "Run", "zh": "实验"},
    "runs.reopen": {"en": "Reopen on its page", "zh": "在原页面重新打开"},
    "runs.reopen_help": {"en": "Opens the run's page with its settings, trained weights and curves.", "zh": "以该实验的设置、训练好的权重和曲线打开其页面。"},
    "runs.delete": {"en": "Delete", "zh": "删除"},
    "exp.section": {"en": "Export / import", "zh": "导出 / 导入"},
    "exp.csv": {"en": "Curves (CSV)", "zh": "曲线（CSV）"},
    "exp.json": {"en": "Run (JSON)", "zh": "实验（JSON）"},
    "exp.png": {"en": "Boundary (PNG)", "zh": "决策边界（PNG）"},
    "exp.weights": {"en": "Weights (.pt)", "zh": "权重（.pt）"},
    "exp.weights_help": {"en": "A PyTorch state_dict: torch.load(path, weights_only=True).", "zh": "PyTorch 的 state_dict：torch.load(path, weights_only=True)。"},
    "imp.json": {"en": "Restore settings from a run JSON", "zh": "从实验 JSON 恢复设置"},
    "imp.json_help": {"en": "A file downloaded with “Run (JSON)”; its settings are loaded and training restarts from the seed.",
                      "zh": "用“实验（JSON）”下载的文件；加载其设置，并按种子重新开始训练。"},
    "imp.weights": {"en": "Load weights (.pt) into this model", "zh": "将权重（.pt）载入当前模型"},
    "imp.weights_help": {"en": "Must match the current model's layers and sizes.", "zh": "必须与当前模型的层和大小一致。"},
    "imp.refused": {"en": "File refused: {reason}", "zh": "文件被拒绝：{reason}"},
    "imp.weights_loaded": {"en": "Weights loaded.", "zh": "权重已载入。"},
    # ---- comparison page ----
    "nav.compare": {"en": "Compare runs", "zh": "对比实验"},
    "home.page.compare": {"en": "What-if comparisons: 2 to 4 runs on identical data, label noise and initial weights, trained in lockstep.",
                          "zh": "假设对比：2 到 4 个实验使用相同的数据、标签噪声和初始权重，同步训练。"},
    "cmp.title": {"en": "Compare runs", "zh": "对比实验"},
    "cmp.intro": {"en": "Every run sees the same points, the same flipped labels and starts from the same initial weights (one seed); only the settings you change per run differ. They train in lockstep: the same number of optimizer steps.",
                  "zh": "每个实验使用相同的数据点、相同的被翻转标签，并从相同的初始权重出发（同一个种子）；只有你为各实验单独修改的设置不同。它们同步训练：优化步数相同。"},
    "cmp.kind": {"en": "Data", "zh": "数据"},
    "cmp.kind.2d": {"en": "2D points", "zh": "二维数据点"},
    "cmp.kind.mnist": {"en": "MNIST / Fashion", "zh": "MNIST / Fashion"},
    "cmp.n_runs": {"en": "Number of runs", "zh": "实验个数"},
    "cmp.shared": {"en": "Shared by all runs", "zh": "所有实验共享"},
    "cmp.seed_help": {"en": "One seed for all runs: same data, same label flips, same initial weights.", "zh": "所有实验共用一个种子：相同的数据、相同的标签翻转、相同的初始权重。"},
    "cmp.run_settings": {"en": "Run {n}", "zh": "实验 {n}"},
    "cmp.run_label": {"en": "Run {n}", "zh": "实验 {n}"},
    "cmp.restarted": {"en": "Shared settings changed: all runs restarted from the same initial weights.", "zh": "共享设置已改变：所有实验已从相同的初始权重重新开始。"},
    "cmp.metric": {"en": "Curve", "zh": "曲线"},
    "cmp.curve_legend": {"en": "One colour per run, as in the headings above.", "zh": "每个实验一种颜色，与上方标题一致。"},
    "cmp.numbers": {"en": "test accuracy {acc:.1%} · test loss {loss:.3f} · memorised flips {mem:.1%}", "zh": "测试准确率 {acc:.1%} · 测试损失 {loss:.3f} · 记住的翻转标签 {mem:.1%}"},
    "cmp.status": {"en": "Lockstep: step {step} · epoch {epoch}", "zh": "同步训练：第 {step} 步 · 第 {epoch} 轮"},
    "cmp.diverged": {"en": "{run} diverged at step {step} (learning rate {lr}); it waits while the others go on.", "zh": "{run} 在第 {step} 步发散（学习率 {lr}）；它将暂停，其他实验继续。"},
    "cmp.table": {"en": "Final metrics", "zh": "最终指标"},
    "cmp.col.run": {"en": "run", "zh": "实验"},
    "cmp.col.steps": {"en": "steps", "zh": "步数"},
    "cmp.mnist_data_hint": {"en": "Open the MNIST page to download the data, or place the files as described.", "zh": "请打开 MNIST 页面下载数据，或按说明放置文件。"},
    # ---- MNIST page ----
    "nav.mnist": {"en": "MNIST & Fashion-MNIST", "zh": "MNIST 与 Fashion-MNIST"},
    "home.page.mnist": {"en": "Real digits and clothes: loss choice, label noise (does the net memorise it?), distillation, confusion matrix, calibration, true slices of the 784-D decision boundary.",
                        "zh": "真实的手写数字与服装图片：选择损失函数、注入标签噪声（网络会记住噪声吗？）、知识蒸馏、混淆矩阵、校准，以及 784 维决策边界的真实切片。"},
    "model.cnn": {"en": "Small CNN (2 conv layers)", "zh": "小型卷积网络（2 个卷积层）"},
    "loss.distillation.name": {"en": "Distillation from a teacher", "zh": "从教师网络蒸馏"},
    "loss.distillation.desc": {"en": "Match the teacher's softened probabilities (temperature T, scaled by T²) plus a share 1−α of cross-entropy on the given labels.",
                               "zh": "匹配教师网络经温度 T 软化后的概率（乘以 T²），再加上权重为 1−α 的、基于给定标签的交叉熵。"},
    "loss.param.T": {"en": "Temperature T", "zh": "温度 T"},
    "loss.param.alpha": {"en": "Soft-target weight α", "zh": "软目标权重 α"},
    "mn.title": {"en": "MNIST & Fashion-MNIST", "zh": "MNIST 与 Fashion-MNIST"},
    "mn.intro": {"en": "Train on real images. Inject label noise and watch whether the network memorises the flipped labels; compare losses; distil from a teacher; inspect mistakes, calibration and the decision boundary.",
                 "zh": "在真实图片上训练。注入标签噪声，观察网络是否记住被翻转的标签；比较不同损失；从教师网络蒸馏；查看错误、校准和决策边界。"},
    "mn.n_train": {"en": "Training images", "zh": "训练图片数"},
    "mn.n_train_help": {"en": "A random subset of the training split (same seed, same subset). Smaller is faster on a laptop.",
                        "zh": "训练集中的随机子集（相同种子得到相同子集）。数量越少，笔记本电脑上越快。"},
    "mn.pairs": {"en": "Flips between look-alike classes: {pairs}. The rate applies to each source class.",
                 "zh": "相似类别之间的翻转：{pairs}。比例分别作用于每个源类别。"},
    "mn.hidden": {"en": "Hidden layer sizes", "zh": "隐藏层大小"},
    "mn.hidden_help": {"en": "Comma-separated, e.g. 256 (the 784-256-10 MLP) or 512,256.", "zh": "用逗号分隔，例如 256（784-256-10 多层感知机）或 512,256。"},
    "mn.hidden_bad": {"en": "“{value}” is not a list of layer sizes; using 256.", "zh": "“{value}”不是有效的层大小列表；改用 256。"},
    "mn.teacher_epochs": {"en": "Teacher epochs", "zh": "教师训练轮数"},
    "mn.teacher_epochs_help": {"en": "How long the teacher (same architecture, cross-entropy, Adam) trains before distillation.",
                               "zh": "蒸馏前教师网络（相同结构、交叉熵、Adam）的训练轮数。"},
    "mn.download": {"en": "Download {name} now", "zh": "立即下载 {name}"},
    "mn.downloading": {"en": "Downloading…", "zh": "正在下载…"},
    "mn.data_folder": {"en": "Data folder: {folder} (set PLAYGROUND_DATA_DIR to change it).", "zh": "数据文件夹：{folder}（可通过 PLAYGROUND_DATA_DIR 修改）。"},
    "mn.step": {"en": "⏭ Train a little", "zh": "⏭ 训练一小段"},
    "mn.step_help": {"en": "Train for a fraction of a second, then pause.", "zh": "训练不到一秒，然后暂停。"},
    "mn.train_teacher": {"en": "🎓 Train teacher ({epochs} epochs)", "zh": "🎓 训练教师网络（{epochs} 轮）"},
    "mn.teacher_help": {"en": "Trains a teacher on the same data and labels, then restarts the student from its initial weights so it can learn by distillation.",
                        "zh": "在相同的数据和标签上训练教师网络，然后学生网络从初始权重重新开始，以便通过蒸馏学习。"},
    "mn.teacher_training": {"en": "Training the teacher…", "zh": "正在训练教师网络…"},
    "mn.need_teacher": {"en": "Distillation needs a teacher: press “Train teacher”. Until then the student uses cross-entropy.",
                        "zh": "蒸馏需要教师网络：请按“训练教师网络”。在此之前学生网络使用交叉熵。"},
    "mn.teacher_ready": {"en": "Teacher ready: clean test accuracy {acc:.1%}.", "zh": "教师网络已就绪：干净测试集准确率 {acc:.1%}。"},
    "mn.x_epochs": {"en": "x: epochs", "zh": "横轴：轮数"},
    "mn.epoch_progress": {"en": "Epoch {epoch}: {pct:.0%}", "zh": "第 {epoch} 轮：{pct:.0%}"},
    "mn.status": {"en": "Step {step} · epoch {epoch} · train loss {train:.4f} · test loss {test:.4f} · clean test accuracy {acc:.2%} · learning rate {lr}",
                  "zh": "第 {step} 步 · 第 {epoch} 轮 · 训练损失 {train:.4f} · 测试损失 {test:.4f} · 干净测试集准确率 {acc:.2%} · 学习率 {lr}"},
    "mn.tab.curves": {"en": "Curves", "zh": "曲线"},
    "mn.tab.confusion": {"en": "Confusion matrix", "zh": "混淆矩阵"},
    "mn.tab.mistakes": {"en": "Misclassified", "zh": "分类错误"},
    "mn.tab.flipped": {"en": "Flipped labels", "zh": "被翻转的标签"},
    "mn.tab.boundary": {"en": "Decision boundary", "zh": "决策边界"},
    "mn.tab.calibration": {"en": "Calibration", "zh": "校准"},
    "mn.tab.weights": {"en": "First-layer weights", "zh": "第一层权重"},
    "mn.true": {"en": "true", "zh": "真实"},
    "mn.pred": {"en": "predicted", "zh": "预测"},
    "mn.given": {"en": "given", "zh": "给定"},
    "mn.confusion_help": {"en": "Rows: true class of the clean test images; columns: the network's prediction.", "zh": "行：干净测试图片的真实类别；列：网络的预测。"},
    "mn.no_mistakes": {"en": "No misclassified test images.", "zh": "没有分类错误的测试图片。"},
    "mn.no_flips": {"en": "No label noise: choose a noise kind in the sidebar.", "zh": "没有标签噪声：请在侧边栏选择噪声类型。"},
    "mn.flipped_help": {"en": "If “predicted” equals “given”, the network has memorised a wrong label.", "zh": "如果“预测”等于“给定”，说明网络记住了错误的标签。"},
    "mn.boundary_help": {"en": "A true slice of the 784-dimensional decision boundary: the network is evaluated at every point of a 2D plane in pixel space; colours show the predicted class.",
                         "zh": "784 维决策边界的真实切片：在像素空间中的一个二维平面的每个点上运行网络；颜色表示预测的类别。"},
    "mn.plane": {"en": "Plane", "zh": "平面"},
    "mn.plane.pca": {"en": "top two principal components", "zh": "前两个主成分"},
    "mn.plane.three": {"en": "through three test images", "zh": "经过三张测试图片"},
    "mn.pca_caption": {"en": "Plane through the mean image spanned by the top two principal components; rings are test images projected onto it (colour = true class).",
                       "zh": "经过平均图像、由前两个主成分张成的平面；圆环为投影到该平面上的测试图片（颜色 = 真实类别）。"},
    "mn.pick": {"en": "Test image {n} (index)", "zh": "测试图片 {n}（编号）"},
    "mn.three_caption": {"en": "The plane through the three chosen images (dots, colour = true class): where the colour changes, the network switches class.",
                         "zh": "经过所选三张图片（圆点，颜色 = 真实类别）的平面：颜色变化之处就是网络切换类别的地方。"},
    "mn.three_bad": {"en": "Cannot span a plane: {reason}. Pick three different images.", "zh": "无法张成平面：{reason}。请选择三张不同的图片。"},
    "mn.ece": {"en": "Expected calibration error (15 bins)", "zh": "期望校准误差（15 个区间）"},
    "mn.confidence": {"en": "confidence (top-class probability)", "zh": "置信度（最高类别概率）"},
    "mn.calibration_help": {"en": "Reliability diagram on the clean test set: bars on the dashed diagonal mean the confidence can be trusted; bars below it mean over-confidence.",
                            "zh": "干净测试集上的可靠性图：柱子落在虚线对角线上表示置信度可信；低于对角线表示过度自信。"},
    "mn.weights_help": {"en": "Each tile is one hidden unit's weights over the 28×28 pixels (red positive, blue negative).",
                        "zh": "每个小图是一个隐藏单元在 28×28 像素上的权重（红色为正，蓝色为负）。"},
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
    # ---- robustness: refused data, weights and divergence ----
    "err.csv.out_of_range": {
        "en": "Line {line}: {column} = {value} is too large; coordinates must lie between −{limit} and {limit}. "
              "The playground computes in 32-bit floats, and beyond that the squares used to standardise the "
              "column could overflow. Rescale the column (for example divide it by a power of 10).",
        "zh": "第 {line} 行：{column} = {value} 过大；坐标必须在 −{limit} 到 {limit} 之间。本实验场用 32 位浮点数计算，"
              "超出这个范围时，标准化该列所用的平方可能溢出。请缩放这一列（例如除以 10 的幂）。",
    },
    "err.csv.binary": {
        "en": "The file contains NUL bytes: it is a binary file or text saved as UTF-16. Save it as CSV (UTF-8) and try again.",
        "zh": "文件包含 NUL 字节：它是二进制文件，或是以 UTF-16 保存的文本。请另存为 CSV（UTF-8）后重试。",
    },
    "err.csv.label_too_long": {
        "en": "Line {line}: the label has {digits:,} digits; labels are integers of at most {limit} digits.",
        "zh": "第 {line} 行：标签有 {digits:,} 位数字；标签必须是不超过 {limit} 位的整数。",
    },
    "mnist.place.data": {"en": "the folder {sub} inside the data folder", "zh": "数据文件夹中的 {sub} 文件夹"},
    "mnist.place.extra": {"en": "extra data folder #{index} (PLAYGROUND_EXTRA_DATA_DIRS)",
                          "zh": "第 {index} 个额外数据文件夹（PLAYGROUND_EXTRA_DATA_DIRS）"},
    "mnist.place.system": {"en": "the folder of Debian's dataset-fashion-mnist package",
                           "zh": "Debian 软件包 dataset-fashion-mnist 的文件夹"},
    "mnist.place.folder": {"en": "the folder “{name}”", "zh": "文件夹“{name}”"},
    "imp.why.json_syntax": {"en": "syntax error at line {line}, column {column}", "zh": "第 {line} 行第 {column} 列有语法错误"},
    "imp.why.json_deep": {"en": "nested too deeply", "zh": "嵌套层数过多"},
    "imp.why.json_digits": {"en": "a number has too many digits", "zh": "某个数字的位数过多"},
    "imp.why.no_settings": {"en": "there is no settings object", "zh": "没有设置对象"},
    "imp.why.too_many_settings": {"en": "{count:,} settings; at most {limit:,}", "zh": "有 {count:,} 项设置；最多 {limit:,} 项"},
    "imp.why.bad_name": {"en": "a setting name is empty or longer than {limit} characters",
                         "zh": "某个设置名称为空或超过 {limit} 个字符"},
    "imp.why.not_finite": {"en": "“{key}” is not a finite number", "zh": "“{key}” 不是有限的数字"},
    "imp.why.not_scalar": {"en": "“{key}” is a list, an object or null, not a single value",
                           "zh": "“{key}” 是列表、对象或 null，而不是单个值"},
    "imp.why.too_long": {"en": "the value of “{key}” is longer than {limit} characters",
                         "zh": "“{key}” 的值超过 {limit} 个字符"},
    "imp.why.bad_chars": {"en": "“{key}” contains control characters or characters that are not valid text",
                          "zh": "“{key}” 含有控制字符或无效的文本字符"},
    "imp.why.empty": {"en": "the file is empty", "zh": "文件是空的"},
    "imp.why.legacy": {
        "en": "it is a plain pickle or PyTorch's old (before 1.6) format; only the zip format that torch.save "
              "writes since PyTorch 1.6, as this playground exports it, is read",
        "zh": "它是普通的 pickle 文件或 PyTorch 的旧格式（1.6 之前）；只读取 PyTorch 1.6 起 torch.save 写出的 zip 格式"
              "（即本实验场导出的格式）"},
    "imp.why.not_weights": {"en": "it is not a PyTorch weights file", "zh": "它不是 PyTorch 权重文件"},
    "imp.why.damaged": {"en": "its zip archive is damaged or incomplete", "zh": "其中的 zip 压缩包已损坏或不完整"},
    "imp.why.entries": {"en": "its archive has {count:,} entries; a weights file for this model has at most {limit:,}",
                        "zh": "压缩包中有 {count:,} 个条目；该模型的权重文件最多只有 {limit:,} 个"},
    "imp.why.method": {"en": "the archive entry “{entry}” is encrypted or compressed with method {method}; only stored "
                             "and deflated entries are read",
                       "zh": "压缩包条目“{entry}”已加密或使用压缩方法 {method}；只读取未压缩（stored）和 deflate 压缩的条目"},
    "imp.why.unpacked": {"en": "its archive would unpack to {size:,} bytes, but this model's weights take only {limit:,} "
                               "bytes; nothing was unpacked",
                         "zh": "其压缩包解压后将有 {size:,} 字节，而该模型的权重只需 {limit:,} 字节；未解压任何内容"},
    "imp.why.objects": {"en": "it contains Python objects other than tensors; they were refused without running any code "
                              "from the file",
                        "zh": "它包含张量以外的 Python 对象；这些对象已被拒绝，文件中的任何代码都没有运行"},
    "imp.why.unreadable": {"en": "PyTorch cannot read it: it is damaged or not a weights file",
                           "zh": "PyTorch 无法读取它：文件已损坏，或不是权重文件"},
    "imp.why.lying": {"en": "the archive entry “{entry}” does not unpack to the size its header declares",
                      "zh": "压缩包条目“{entry}”解压后的大小与其头部声明的不符"},
    "imp.why.not_dict": {"en": "it does not hold a dictionary of named tensors", "zh": "其中不是由名称和张量组成的字典"},
    "imp.why.missing": {"en": "tensors missing for this model: {names}", "zh": "缺少该模型所需的张量：{names}"},
    "imp.why.unexpected": {"en": "tensors this model does not have: {names}", "zh": "包含该模型没有的张量：{names}"},
    "imp.why.shape": {"en": "“{key}” is {got}; this model needs {need}", "zh": "“{key}” 是 {got}；该模型需要 {need}"},
    "imp.why.layout": {"en": "“{key}” is not an ordinary dense tensor ({layout})", "zh": "“{key}” 不是普通的稠密张量（{layout}）"},
    "imp.why.non_finite": {"en": "“{key}” contains {count:,} NaN or infinite values", "zh": "“{key}” 含有 {count:,} 个 NaN 或无穷大的值"},
    "imp.why.overflow": {"en": "with these weights the model's outputs are NaN or infinite even on ordinary inputs "
                               "(largest value {largest:.3g}, in “{key}”)",
                         "zh": "使用这些权重时，即使输入普通，模型的输出也是 NaN 或无穷大（最大值 {largest:.3g}，位于“{key}”）"},
    "imp.why.load": {"en": "PyTorch refused to load them into this model", "zh": "PyTorch 拒绝把它们载入该模型"},
    # ---- server budget: frame time, session memory ----
    "budget.too_slow": {"en": "Training slower than the chosen speed: {done} of {wanted} steps per frame. The model is too big for live training at this speed.",
                        "zh": "训练慢于所选速度：每帧只完成 {wanted} 步中的 {done} 步。模型太大，无法以此速度实时训练。"},
    "budget.reopen_retrains": {"en": "This run's trained weights were dropped to save memory: it starts again from its settings and seed.",
                               "zh": "为节省内存，该实验训练好的权重已被丢弃：将按其设置和种子重新开始训练。"},
    "budget.col.weights": {"en": "weights", "zh": "权重"},
    "budget.weights.kept": {"en": "kept", "zh": "已保存"},
    "budget.weights.dropped": {"en": "dropped", "zh": "已丢弃"},
    "budget.weights_dropped_note": {"en": "The trained weights of {runs} were dropped to save memory (the oldest go first). Curves and settings are kept; reopening retrains from the settings.",
                                    "zh": "为节省内存，{runs} 训练好的权重已被丢弃（最早的先丢弃）。曲线和设置仍然保留；重新打开会按设置重新训练。"},
    # ---- pages: links, imports, uploads ----
    "warn.url.not_kept": {"en": "This page cannot show the link's setting “{key}” = “{value}”; it uses “{key}” as shown in the sidebar instead.",
                          "zh": "本页面无法显示链接中的设置“{key}” = “{value}”，改用侧边栏中显示的“{key}”。"},
    "imp.applied": {"en": "Settings imported from “{name}”. The previous run is kept in Run history.",
                    "zh": "已从“{name}”导入设置。之前的实验保存在“实验记录”中。"},
    # ---- run labels ----
    "lbl.loss.cross_entropy": {"en": "CE", "zh": "交叉熵"},
    "lbl.loss.label_smoothing": {"en": "label smoothing", "zh": "标签平滑"},
    "lbl.loss.brier": {"en": "Brier", "zh": "Brier 分数"},
    "lbl.loss.mae": {"en": "MAE", "zh": "平均绝对误差"},
    "lbl.loss.huber": {"en": "Huber", "zh": "Huber 损失"},
    "lbl.loss.hinge": {"en": "hinge", "zh": "合页损失"},
    "lbl.loss.squared_hinge": {"en": "squared hinge", "zh": "平方合页损失"},
    "lbl.loss.exponential": {"en": "exponential", "zh": "指数损失"},
    "lbl.loss.gce": {"en": "GCE", "zh": "广义交叉熵"},
    "lbl.loss.focal": {"en": "focal", "zh": "焦点损失"},
    "lbl.loss.distillation": {"en": "distillation", "zh": "蒸馏"},
    "lbl.opt.sgd": {"en": "SGD", "zh": "SGD"},
    "lbl.opt.momentum": {"en": "SGD + momentum", "zh": "SGD + 动量"},
    "lbl.opt.adam": {"en": "Adam", "zh": "Adam"},
    "lbl.opt.adamw": {"en": "AdamW", "zh": "AdamW"},
    "lbl.lr": {"en": "lr {lr}", "zh": "学习率 {lr}"},
    "lbl.model.logistic": {"en": "logistic", "zh": "逻辑回归"},
    "lbl.model.mlp": {"en": "MLP", "zh": "MLP"},
    "lbl.layers": {"en": "{depth} layers × {width}", "zh": "{depth} 层 × {width}"},
    "lbl.batch": {"en": "batch {n}", "zh": "批大小 {n}"},
    "lbl.wd": {"en": "weight decay {wd}", "zh": "权重衰减 {wd}"},
    "lbl.noise": {"en": "noise {rate}", "zh": "噪声 {rate}"},
    "lbl.numbers": {"en": "own loss ({loss}) {own} · test cross-entropy {ce} · test accuracy {acc} · memorised flips {mem}",
                    "zh": "自身损失（{loss}）{own} · 测试交叉熵 {ce} · 测试准确率 {acc} · 记住的翻转标签 {mem}"},
    "lbl.yardstick_note": {"en": "Every run is measured with the same yardstick, whatever loss it trains on: cross-entropy and accuracy on the test points. “—”: does not apply (e.g. no flipped labels).",
                           "zh": "无论用哪种损失训练，所有实验都用同一把标尺衡量：测试点上的交叉熵和准确率。“—”：不适用（例如没有被翻转的标签）。"},
    "lbl.col.own_loss": {"en": "own training loss", "zh": "自身训练损失"},
    "lbl.col.loss": {"en": "loss", "zh": "损失"},
    "lbl.col.test_ce": {"en": "test cross-entropy", "zh": "测试交叉熵"},
    "metric.epoch": {"en": "epoch", "zh": "轮次"},
    # ---- lessons and stepping ----
    "step.ten": {"en": "⏭×10", "zh": "⏭×10"},
    "step.one_help": {"en": "Exactly one optimizer step (one mini-batch), so you can follow a single update.",
                      "zh": "恰好一步优化（一个小批量），便于观察单次更新。"},
    "step.ten_help": {"en": "Ten optimizer steps.", "zh": "十步优化。"},
    # ---- curves ----
    "curves.x_steps": {"en": "x: optimizer step", "zh": "横轴：优化步数"},
    "curves.x_epochs": {"en": "x: epochs", "zh": "横轴：轮数"},
    "curves.log_on": {"en": "log scale (step 0 not shown)", "zh": "对数刻度（不显示第 0 步）"},
    "curves.log_x": {"en": "Log-scale step axis", "zh": "步数轴使用对数刻度"},
    "curves.log_x_help": {"en": "Early steps get as much room as late ones; step 0 is left out.",
                          "zh": "前期的步数与后期占同样宽度；不显示第 0 步。"},
    "curves.event": {"en": "{n} {what} {old} → {new} (step {step})", "zh": "{n} {what} {old} → {new}（第 {step} 步）"},
    "curves.event.lr": {"en": "learning rate", "zh": "学习率"},
    "curves.event.loss": {"en": "loss", "zh": "损失函数"},
    "curves.event.optimizer": {"en": "optimizer", "zh": "优化器"},
    "curves.event_title": {"en": "setting changed", "zh": "设置已更改"},
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **fields) -> str:
    """Look up `key` in `lang`; unknown keys show themselves so a gap is visible, not fatal."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    # a Msg field (e.g. the reason inside a refusal) is shown in the same language
    fields = {k: v.text(lang) if isinstance(v, Msg) else v for k, v in fields.items()}
    return text.format(**fields) if fields else text


class Msg:
    """A translatable part of a message: a key of STRINGS and its fields, passed as a field of
    another message. t() renders it in that message's language; format()/str() in English."""

    def __init__(self, key: str, /, **fields):  # positional-only: "key" may be a field name
        self.key, self.fields = key, fields

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(self.key, lang, **self.fields)

    def __format__(self, spec: str) -> str:
        return format(self.text(), spec)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.fields!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Msg) and (self.key, self.fields) == (other.key, other.fields)

    __hash__ = None


class UserFacingError(ValueError):
    """A refusal the user should see: `code` is a key of STRINGS, `fields` fill it; str(e) is English."""

    def __init__(self, code: str, **fields):
        self.code = code
        self.fields = fields
        super().__init__(t(code, "en", **fields))

    def message(self, lang: str) -> str:
        return t(self.code, lang, **self.fields)
