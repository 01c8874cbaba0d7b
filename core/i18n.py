"""The one table of user-facing strings, English and 中文.

Every key must have both languages (tests/test_i18n.py checks). Strings may hold
`str.format` fields; `translate()` fills them.
"""

import math

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
    "warn.heavy.model": {
        "en": "These hidden layers give {runs} run(s) {weights} weights in all; this server allows {limit} for one page "
              "(it trains on its {device}). Using the default hidden layer 256 instead: try fewer or narrower layers.",
        "zh": "这些隐藏层使 {runs} 个实验共有 {weights} 个权重；本服务器每个页面最多允许 {limit} 个（它在 {device} 上训练）。"
              "已改用默认隐藏层 256：请减少层数或宽度。"},
    "warn.heavy.batch": {
        "en": "Batch size {wanted} makes one training step of this page's model(s), with what each frame evaluates, "
              "cost about {ms} ms of the server's {device}; a live frame allows {limit} ms. Using batch size {batch}, "
              "the largest that fits: a smaller model can take larger batches.",
        "zh": "批大小 {wanted} 使本页模型的一步训练（连同每帧的评估）约占服务器 {device} {ms} 毫秒；一帧实时画面只允许 "
              "{limit} 毫秒。已改用能容纳的最大批大小 {batch}：模型更小时可以用更大的批。"},
    "warn.url.repeated": {"en": "Link parameter “{key}” names a loss more than once (“{value}”); each loss is shown once.",
                          "zh": "链接参数“{key}”多次列出同一个损失函数（“{value}”）；每个损失函数只显示一次。"},
    # ---- 2D page ----
    "p2d.title": {"en": "2D playground", "zh": "二维实验场"},
    "p2d.margin_def": {"en": r"Here $m = \tilde y\, z$ is the margin: $z$ the model's score, $\tilde y = +1$ for class 1 and $-1$ for class 0; $m > 0$ when a point is on its own side of the boundary.",
                       "zh": r"其中 $m = \tilde y\, z$ 是间隔：$z$ 为模型的得分，类别 1 的 $\tilde y = +1$，类别 0 的 $\tilde y = -1$；点位于边界正确一侧时 $m > 0$。"},
    "p2d.ce_prob_form": {"en": r"With $p = \sigma(z)$ this is $-[y \log p + (1 - y) \log(1 - p)]$.",
                         "zh": r"令 $p = \sigma(z)$，它就是 $-[y \log p + (1 - y) \log(1 - p)]$。"},
    "p2d.intro": {"en": "Train a classifier on 2D points and watch its decision boundary move. Shading shows class probabilities; the dark line is where the predicted class changes.",
                  "zh": "在二维点上训练分类器并观察决策边界的移动。颜色深浅表示类别概率；深色线是预测类别改变的位置。"},
    "w.section.data": {"en": "Data", "zh": "数据"},
    "w.section.noise": {"en": "Label noise", "zh": "标签噪声"},
    "w.section.model": {"en": "Model", "zh": "模型"},
    "w.section.loss": {"en": "Loss", "zh": "损失函数"},
    "w.section.optimizer": {"en": "Optimizer", "zh": "优化器"},
    "w.dataset": {"en": "Data set", "zh": "数据集"},
    "data.upload.name": {"en": "Upload CSV…", "zh": "上传 CSV…"},
    "data.upload.desc": {"en": "Your own points: a CSV file with columns x1, x2, label.", "zh": "你自己的数据点：包含 x1、x2、label 三列的 CSV 文件。"},
    "p2d.upload": {"en": "CSV file (x1, x2, label)", "zh": "CSV 文件（x1, x2, label）"},
    "p2d.upload_help": {"en": "Up to 20,000 rows and 2 MB; labels are integers; 2 to 10 classes.",
                        "zh": "最多 20,000 行、2 MB；标签为整数；2 到 10 个类别。"},
    "p2d.upload_refused": {"en": "File refused: {reason}", "zh": "文件被拒绝：{reason}"},
    "upload.button": {"en": "Upload", "zh": "上传"},
    "upload.limit": {"en": "{mb}MB per file • {kinds}", "zh": "每个文件最大 {mb}MB · {kinds}"},
    "upload.kept": {"en": "Still training on “{name}”, uploaded earlier in this session; upload another file to replace it.",
                    "zh": "仍在使用本次会话中之前上传的“{name}”训练；上传另一个文件即可替换。"},
    "p2d.upload_needed": {"en": "Upload a CSV file in the sidebar to train on your own points.",
                          "zh": "请在侧边栏上传 CSV 文件，以便在你自己的数据点上训练。"},
    "w.n_classes": {"en": "Classes", "zh": "类别数"},
    "w.n_samples": {"en": "Points", "zh": "样本点数"},
    "w.input_noise": {"en": "Input noise", "zh": "输入噪声"},
    "w.input_noise_help": {"en": "Jitter of the points' positions (standard deviation in data units). Separate from label noise.",
                             "zh": "数据点位置的抖动（以数据单位表示的标准差）。与标签噪声相互独立。"},
    "w.test_fraction": {"en": "Test fraction", "zh": "测试集比例"},
    "w.seed": {"en": "Seed", "zh": "随机种子"},
    "w.seed_help": {"en": "Same seed, same data, same label noise, same initial weights.",
                      "zh": "相同的种子会得到相同的数据、标签噪声和初始权重。"},
    "w.noise_kind": {"en": "Kind", "zh": "类型"},
    "w.noise_rate": {"en": "Flip rate", "zh": "翻转比例"},
    "w.noise_pairs": {"en": "Flips (source>target)", "zh": "翻转（源类别>目标类别）"},
    "w.noise_pairs_help": {"en": "For example “0>1” or “0>1, 1>2” or “0<>1” (swap). The rate applies to each source class.",
                             "zh": "例如“0>1”、“0>1, 1>2”或“0<>1”（互换）。比例分别作用于每个源类别。"},
    "w.noise_pairs_bad": {"en": "Flips not understood ({reason}); using “0>1”.", "zh": "无法理解翻转设置（{reason}）；改用“0>1”。"},
    "w.model": {"en": "Model", "zh": "模型"},
    "w.depth": {"en": "Hidden layers", "zh": "隐藏层数"},
    "w.width": {"en": "Neurons per layer", "zh": "每层神经元数"},
    "w.last_width": {"en": "Last hidden layer: units", "zh": "最后隐藏层单元数"},
    "w.last_width_same": {"en": "as the others", "zh": "与其他层相同"},
    "w.last_width_help": {"en": "Neurons of the last hidden layer, the one the output layer draws its lines in. With 2, "
                                "the hidden-space view shows the points exactly where the output layer sees them.",
                          "zh": "最后一个隐藏层的神经元数，输出层就在这一层的空间里画直线。设为 2 时，"
                                "“隐藏空间”视图显示的正是输出层看到的点的精确坐标。"},
    "w.bias": {"en": "Bias b", "zh": "偏置 b"},
    "w.bias_help": {"en": "Unchecked: the model is z = w·x, its bias fixed at exactly 0 and never trained, so the "
                          "boundary w·x = 0 goes through the origin (0, 0). The exam scores are standardised inside "
                          "the model, so there it means no bias in standardised units: the line goes through the "
                          "scores' mean.",
                    "zh": "不勾选：模型为 z = w·x，偏置固定为 0 且从不训练，决策边界 w·x = 0 经过原点 (0, 0)。"
                          "考试成绩数据会在模型内部先标准化，因此那里的“无偏置”指标准化单位下没有偏置："
                          "边界经过成绩的均值点。"},
    "w.activation": {"en": "Activation", "zh": "激活函数"},
    "w.loss": {"en": "Loss function", "zh": "损失函数"},
    "w.optimizer": {"en": "Optimizer", "zh": "优化器"},
    "w.lr": {"en": "Learning rate", "zh": "学习率"},
    "w.batch_size": {"en": "Batch size", "zh": "批大小"},
    "w.full_batch": {"en": "full", "zh": "全批量"},
    "w.weight_decay": {"en": "Weight decay λ", "zh": "权重衰减 λ"},
    "w.wd_mode": {"en": "Apply λ as", "zh": "λ 的作用方式"},
    "w.adamw_note": {"en": "AdamW always decouples weight decay from the gradient.", "zh": "AdamW 总是将权重衰减与梯度解耦。"},
    "w.wd_mode_help": {"en": "L2 in the loss: the gradient gets λw. Decoupled: w ← w·(1 − ηλ) beside the step. "
                             "L1: the penalty λ·Σ|w| by its proximal step after the optimizer's step, a soft threshold "
                             "w ← sign(w)·max(|w| − ηλ, 0) (η the learning rate), so weights reach exactly 0. With plain "
                             "SGD that is exact proximal gradient descent (ISTA); with momentum or Adam it is the same "
                             "soft threshold after their step. Biases are never decayed.",
                       "zh": "损失中的 L2：梯度多出 λw。解耦：在更新旁另做 w ← w·(1 − ηλ)。L1：惩罚项 λ·Σ|w| 由优化器更新之后的"
                             "近端步实现，即软阈值 w ← sign(w)·max(|w| − ηλ, 0)（η 为学习率），权重会精确地变为 0。配合普通 SGD "
                             "时这正是近端梯度下降（ISTA）；配合动量或 Adam 时，是在它们的更新之后做同样的软阈值。偏置从不衰减。"},
    "p2d.wd_l1": {"en": "L1: after each step w ← sign(w)·max(|w| − ηλ, 0), λ = {wd}; the objective includes λ·‖w‖₁.",
                  "zh": "L1：每步之后 w ← sign(w)·max(|w| − ηλ, 0)，λ = {wd}；目标函数含 λ·‖w‖₁。"},
    "w.features": {"en": "Inputs", "zh": "输入特征"},
    "w.features_help": {"en": "What the model sees of a point (x₁, x₂), like TensorFlow Playground's features. "
                              "Logistic regression draws a line in the space of these features: with x₁² and x₂² "
                              "that line is a circle (an ellipse) in the plane.",
                        "zh": "模型看到的点 (x₁, x₂) 的哪些特征，同 TensorFlow Playground。逻辑回归在这些特征的空间里画一条直线："
                              "选 x₁² 和 x₂² 时，这条直线在平面上是一个圆（椭圆）。"},
    "w.features_one": {"en": "At least one input stays ticked.", "zh": "至少保留一个输入特征。"},
    "p2d.wd_l2": {"en": "Training loss also includes the L2 penalty (λ/2)·‖w‖², λ = {wd}.",
                  "zh": "训练损失另含 L2 惩罚项 (λ/2)·‖w‖²，λ = {wd}。"},
    "p2d.wd_decoupled": {"en": "Decoupled weight decay: after each step w ← w·(1 − ηλ), λ = {wd}, outside the gradient.",
                         "zh": "解耦权重衰减：每步之后 w ← w·(1 − ηλ)，λ = {wd}，不经过梯度。"},
    "w.speed": {"en": "Speed", "zh": "速度"},
    "ctl.play_help": {"en": "Keyboard: Space plays and pauses.", "zh": "键盘：空格键播放或暂停。"},
    "ctl.step_key": {"en": "Keyboard: →", "zh": "键盘：→ 键"},
    "ctl.play": {"en": "Play", "zh": "播放"},
    "ctl.pause": {"en": "Pause", "zh": "暂停"},
    "ctl.step": {"en": "Step", "zh": "单步"},
    "ctl.reset": {"en": "Reset", "zh": "重置"},
    "run.reset_data": {"en": "The data changed, so training restarted from new initial weights.",
                       "zh": "数据已改变，训练已从新的初始权重重新开始。"},
    "run.reset_model": {"en": "The model changed, so training restarted from new initial weights (same data).",
                        "zh": "模型已改变，训练已从新的初始权重重新开始（数据不变）。"},
    "run.reset_done": {"en": "Reset: same data, fresh initial weights from the seed.", "zh": "已重置：数据不变，按种子重新生成初始权重。"},
    "p2d.status": {"en": "Step {step} · epoch {epoch} · train loss {train} · test loss {test} · test accuracy {acc:.1%} · learning rate {lr}",
                   "zh": "第 {step} 步 · 第 {epoch} 轮 · 训练损失 {train} · 测试损失 {test} · 测试准确率 {acc:.1%} · 学习率 {lr}"},
    "ctl.diverged": {"en": "Training diverged at step {step} (the loss became NaN or infinite) with learning rate {lr}. Training is paused and the weights were restored to step {restored}. Lower the learning rate, then press Play.",
                     "zh": "训练在第 {step} 步发散（损失变为 NaN 或无穷大），学习率为 {lr}。训练已暂停，权重已恢复到第 {restored} 步。请降低学习率后再按播放。"},
    "p2d.legend": {"en": "filled dot: training point (colour = given label) · ring: test point · black dashed outer ring: flipped label · red ring: misclassified · square: edited by hand",
                   "zh": "实心点：训练点（颜色 = 给定标签）· 圆环：测试点 · 黑色虚线外环：被翻转的标签 · 红色圆环：分类错误 · 方框：手动编辑的点"},
    "p2d.interactive_curves": {"en": "Interactive curves (hover for values)", "zh": "交互式曲线（悬停查看数值）"},
    # ---- a click on the live picture edits the training data (core/data/edits.py) ----
    "edits.section": {"en": "Click to edit the data", "zh": "点击编辑数据"},
    "edits.mode": {"en": "A click on the boundary", "zh": "在决策边界图上点击"},
    "edits.mode.add": {"en": "adds a point", "zh": "添加一个点"},
    "edits.mode.flip": {"en": "flips the nearest label", "zh": "翻转最近点的标签"},
    "edits.mode.remove": {"en": "removes the nearest point", "zh": "删除最近的点"},
    "edits.class": {"en": "Class of an added point", "zh": "添加的点的类别"},
    "edits.flip_to": {"en": "Flip the label to", "zh": "把标签翻转为"},
    "edits.next_class": {"en": "the next class", "zh": "下一个类别"},
    "edits.help": {"en": "The run goes on training on the edited points, without a reset. An edited point has a "
                         "square mark; a label that now differs from the point's true class also has the black "
                         "dashed outer ring of a flipped label.",
                   "zh": "训练在编辑后的点上继续进行，不会重置。被编辑的点带方形标记；标签与真实类别不同时，"
                         "还带有被翻转标签的黑色虚线外环。"},
    "edits.count": {"en": "{n} of at most {limit} edits", "zh": "已编辑 {n} 次（最多 {limit} 次）"},
    "edits.clear": {"en": "Clear the edits", "zh": "清除编辑"},
    "edits.reg_help": {"en": "A click on the fit adds a training point there: an outlier by hand (ringed). The run "
                             "goes on training, without a reset.",
                       "zh": "在拟合图上点击即在该处添加一个训练点：手动添加的离群点（带圆环）。训练继续进行，不会重置。"},
    "edits.missed": {"en": "No training point near the click: nothing changed.",
                     "zh": "点击处附近没有训练点：没有任何改变。"},
    "edits.malformed": {"en": "The edit “{item}” is not understood (add: a<x>,<y>,<class>; flip: f<index>,<class>; "
                              "remove: r<index>).",
                        "zh": "无法理解编辑“{item}”（添加：a<x>,<y>,<类别>；翻转：f<序号>,<类别>；删除：r<序号>）。"},
    "edits.too_many": {"en": "At most {limit} edits of the data: clear them to make more.",
                       "zh": "数据最多编辑 {limit} 次：清除编辑后才能继续。"},
    "edits.off_view": {"en": "Edit {n}: the point ({x}, {y}) lies outside the data's view.",
                       "zh": "第 {n} 个编辑：点 ({x}, {y}) 不在数据的显示范围内。"},
    "edits.bad_class": {"en": "Edit {n}: class {label} is not one of this data set's {k} classes.",
                        "zh": "第 {n} 个编辑：类别 {label} 不是该数据集的 {k} 个类别之一。"},
    "edits.bad_index": {"en": "Edit {n}: there is no training point {index} (there are {count}).",
                        "zh": "第 {n} 个编辑：没有第 {index} 个训练点（共 {count} 个）。"},
    "edits.too_few": {"en": "Edit {n}: at least {least} training points must stay.",
                      "zh": "第 {n} 个编辑：至少要保留 {least} 个训练点。"},
    "edits.unused": {"en": "Some data edits do not fit this data and are left out: {reason}",
                     "zh": "部分数据编辑与当前数据不符，已忽略：{reason}"},
    "warn.url.edits": {"en": "Link parameter “{key}” (“{value}”) could not be read after its first {kept} edit(s); "
                             "those are kept.",
                       "zh": "链接参数“{key}”（“{value}”）只能读取前 {kept} 个编辑，已保留这些编辑。"},
    "curves.event.edits": {"en": "edited points", "zh": "已编辑的点"},
    "curves.axis_loss": {"en": "loss", "zh": "损失"},
    "a11y.lesson_picture": {"en": "Picture of the lesson “{title}”: {text}", "zh": "课程“{title}”的示意图：{text}"},
    "a11y.image_grid": {"en": "Images, {what}: {items}", "zh": "图像，{what}：{items}"},
    "a11y.boundary": {"en": "Decision boundary over the data, step {step}, test accuracy {acc}",
                      "zh": "数据上的决策边界，第 {step} 步，测试准确率 {acc}"},
    "a11y.run_boundary": {"en": "{run}: decision boundary, step {step}, test accuracy {acc}",
                          "zh": "{run}：决策边界，第 {step} 步，测试准确率 {acc}"},
    "a11y.fit": {"en": "Fitted curve over the training points, step {step}, test loss {test}",
                 "zh": "训练点上的拟合曲线，第 {step} 步，测试损失 {test}"},
    "a11y.fits": {"en": "Fitted curves of the runs over the data, step {step}: {runs}",
                  "zh": "各实验在数据上的拟合曲线，第 {step} 步：{runs}"},
    "a11y.residuals": {"en": "Residuals of the fit: {note}", "zh": "拟合的残差：{note}"},
    "a11y.chart": {"en": "Chart of {title} against {x}. Latest values: {latest}.",
                   "zh": "{title}随{x}变化的曲线图。最新值：{latest}。"},
    "curves.axis_acc": {"en": "accuracy", "zh": "准确率"},
    "metric.step": {"en": "optimizer step", "zh": "优化步数"},
    "metric.train_loss": {"en": "training loss", "zh": "训练损失"},
    "metric.test_loss": {"en": "test loss", "zh": "测试损失"},
    "metric.train_acc": {"en": "training accuracy", "zh": "训练准确率"},
    "metric.test_acc": {"en": "test accuracy", "zh": "测试准确率"},
    "metric.train_acc_clean": {"en": "clean training points", "zh": "干净训练点"},
    "metric.train_acc_flipped": {"en": "flipped points fitted to the wrong label", "zh": "拟合到错误标签的被翻转点"},
    "p2d.history_table": {"en": "Recorded metrics", "zh": "记录的指标"},
    # ---- inside the model: the forward pass at a point ----
    "fp.section": {"en": "Inside the model: the forward pass at a point",
                   "zh": "模型内部：某一点的前向传播"},
    "fp.net": {"en": "Network", "zh": "网络"},
    "fp.net.hand": {"en": "A network to check by hand (2-3-2, ReLU)", "zh": "可手算的网络（2-3-2，ReLU）"},
    "fp.net.run": {"en": "This run's model", "zh": "本次训练的模型"},
    "fp.hand_weights": {"en": "W₁ = {w1}, b₁ = {b1}, W₂ = {w2}, b₂ = {b2}",
                        "zh": "W₁ = {w1}，b₁ = {b1}，W₂ = {w2}，b₂ = {b2}"},
    "fp.pre": {"en": "Layer {n}: W{k}·{inp} + b{k}", "zh": "第 {n} 层：W{k}·{inp} + b{k}"},
    "fp.h.relu": {"en": "h{k} = ReLU(·)", "zh": "h{k} = ReLU(·)"},
    "fp.h.tanh": {"en": "h{k} = tanh(·)", "zh": "h{k} = tanh(·)"},
    "fp.h.sigmoid": {"en": "h{k} = σ(·)", "zh": "h{k} = σ(·)"},
    "fp.h.linear": {"en": "h{k} = identity(·)", "zh": "h{k} = 恒等(·)"},
    "fp.z": {"en": "Logits z = W{k}·{inp} + b{k}", "zh": "logits z = W{k}·{inp} + b{k}"},
    "fp.p_softmax": {"en": "Probabilities p = softmax(z)", "zh": "概率 p = softmax(z)"},
    "fp.p_sigmoid": {"en": "Probabilities (1 − σ(z), σ(z))", "zh": "概率 (1 − σ(z), σ(z))"},
    "fp.pattern": {"en": "Activation pattern (1 = unit on)", "zh": "激活模式（1 = 单元开启）"},
    "fp.weff": {"en": "W_eff = W_L·D·…·D·W₁ (D = diag(pattern))", "zh": "W_eff = W_L·D·…·D·W₁（D = diag(激活模式)）"},
    "fp.beff": {"en": "b_eff", "zh": "b_eff"},
    "fp.region_note": {"en": "In this point's region the network is the linear classifier z = W_eff·x + b_eff = {z}: "
                             "a ReLU network is a patchwork of such pieces.",
                       "zh": "在该点所在的区域内，网络就是线性分类器 z = W_eff·x + b_eff = {z}："
                             "ReLU 网络是由这样的线性片拼接而成的。"},
    "eq.line": {"en": "Boundary: {terms} = 0", "zh": "决策边界：{terms} = 0"},
    "eq.solved": {"en": "i.e. x₂ = {rhs}", "zh": "即 x₂ = {rhs}"},
    "eq.vertical": {"en": "i.e. x₁ = {x1}", "zh": "即 x₁ = {x1}"},
    "eq.features": {"en": "(a line in the space of the features, in their own units: in the plane it is curved)",
                    "zh": "（这是特征空间里的一条直线，使用各特征本身的单位；在平面上它是弯曲的）"},
    "eq.units": {"en": "(in the data's own units: the model standardises its inputs, and these weights are "
                       "converted back)",
                 "zh": "（使用数据本身的单位：模型会先标准化输入，这里的权重已换算回原单位）"},
    "ps.section": {"en": "Inside the model: parameter space (logistic regression)",
                   "zh": "模型内部：参数空间（逻辑回归）"},
    "ps.only_logistic": {"en": "Parameter space is drawn for logistic regression with two classes: its two "
                               "weights are the map's two axes.",
                         "zh": "参数空间只为二分类逻辑回归绘制：它的两个权重就是图的两个坐标轴。"},
    "ps.note": {"en": "The training loss J(w₁, w₂) (colour; no weight decay) over the weights' path and where they are "
                      "heading, the bias "
                      "held at its current value b = {b}. Weights of the model's standardised inputs. White: "
                      "the path of the weights so far; red: now, and the direction of −∇J. The loss lives here, "
                      "the boundary w·x + b = 0 in the plane on the left.",
                "zh": "权重路径及其去向上的训练损失 J(w₁, w₂)（颜色；不含权重衰减），偏置固定为当前值 b = {b}。"
                      "坐标是模型标准化输入的权重。白线：迄今为止的权重路径；红色：当前位置与 −∇J 的方向。"
                      "损失在这里，决策边界 w·x + b = 0 在左边的平面里。"},
    "ps.note_no_bias": {"en": "The training loss J(w₁, w₂) (colour; no weight decay) over the weights' path and where "
                              "they are heading. This "
                              "model has no bias (b = 0, never trained), so J depends on w₁ and w₂ alone and this map "
                              "is the whole cost, nothing held fixed. Weights of the model's scaled inputs (exam "
                              "scores: standardised). White: the path of the weights so far; red: now, and the "
                              "direction of −∇J. The loss lives here, the boundary w·x = 0 in the plane on the left.",
                        "zh": "权重路径及其去向上的训练损失 J(w₁, w₂)（颜色；不含权重衰减）。该模型没有偏置（b = 0，从不训练），"
                              "因此 J 只取决于 w₁ 和 w₂，这张图就是完整的代价函数，没有任何量被固定。坐标是模型缩放后"
                              "输入的权重（考试成绩：标准化后）。白线：迄今为止的权重路径；红色：当前位置与 −∇J 的方向。"
                              "损失在这里，决策边界 w·x = 0 在左边的平面里。"},
    "ps.now": {"en": "w = {w}, −∇J = {g}", "zh": "w = {w}，−∇J = {g}"},
    "ps.minimum": {"en": "Where they are heading: J is lowest in this plane at w = {w}, inside the map.",
                   "zh": "它们前往的地方：此平面上 J 的最低点在 w = {w}，就在图中。"},
    "ps.no_minimum": {"en": "J has no single lowest point in this plane: far out along some direction it is as low "
                            "as anywhere nearby, or lower (cross-entropy: when a line separates the classes, J keeps "
                            "falling as ‖w‖ grows, for ever). The map looks ahead along −∇J and grows as the weights go.",
                      "zh": "J 在此平面上没有唯一的最低点：沿某个方向走到很远处，J 与附近一样低甚至更低"
                            "（交叉熵：当一条直线能分开两类时，‖w‖ 越大 J 越低，永无止境）。地图沿 −∇J 向前多看一段，"
                            "并随权重前进而扩大。"},
    "ib.section": {"en": "Implicit bias: gradient descent turns, slowly, to the max-margin direction",
                   "zh": "隐式偏置：梯度下降缓慢地转向最大间隔方向"},
    # measured on separable_data seeds 0-4, both losses, lr 0.1: step 1 27.4-31.1°, 10⁴ 14.8-16.1°,
    # 10⁶ 8.6-9.7°, 10¹⁰ 4.5-5.2°; normalised GD at step 1,000 0.40-0.47°; the flow from step 1,000
    # gives step 10⁶ of step-by-step GD within 0.001° (seeds 0-4, both losses)
    "ib.note": {"en": "A linear model without bias on data that a line through the origin separates (the hard-margin "
                      "SVM direction is (2, 1) by construction), trained on the whole set with a constant step of 0.1 "
                      "and no weight decay. The loss never reaches 0, so ‖w‖ grows for ever, like log t, while the "
                      "direction w/‖w‖ turns towards the SVM's (Soudry et al. 2018), slowly: the angle shrinks like "
                      "1/log t. Gradient descent starts along the two clouds, about 30° off, and is still about 15° "
                      "off after 10⁴ steps, 9° after 10⁶ and 5° after 10¹⁰: its steps shrink with the gradient as the "
                      "loss vanishes. Normalised gradient descent, w − 0.1·∇L/‖∇L‖ (every step 0.1 long), does not "
                      "slow down: under 1° off by step 1,000. Past step 1,000 both curves are computed in one go from "
                      "the gradient flow, the limit of small steps (at step 10⁶ it matches gradient descent step by "
                      "step to 0.001°).",
                "zh": "无偏置的线性模型，数据可被过原点的直线分开（按构造，硬间隔 SVM 方向为 (2, 1)）；全批量、"
                      "固定步长 0.1、无权重衰减地训练。损失永远到不了 0，所以 ‖w‖ 一直增长（像 log t），而方向 "
                      "w/‖w‖ 转向 SVM 的方向（Soudry 等，2018），但很慢：夹角像 1/log t 那样缩小。梯度下降一开始"
                      "沿着两团点的方向，相差约 30°；10⁴ 步后仍差约 15°，10⁶ 步后约 9°，10¹⁰ 步后约 5°：损失趋于 0 "
                      "时梯度变小，它的步子也随之变小。归一化梯度下降 w − 0.1·∇L/‖∇L‖（每步长度都是 0.1）不会变慢："
                      "到第 1,000 步已相差不到 1°。第 1,000 步之后，两条曲线都由梯度流（小步长的极限）一次算出"
                      "（在第 10⁶ 步与逐步的梯度下降相差不到 0.001°）。"},
    "ib.loss": {"en": "Loss", "zh": "损失"},
    "ib.loss.logistic": {"en": "logistic log(1 + e^−m)", "zh": "logistic log(1 + e^−m)"},
    "ib.loss.exponential": {"en": "exponential e^−m", "zh": "指数 e^−m"},
    "ib.gd": {"en": "gradient descent (step 0.1)", "zh": "梯度下降（步长 0.1）"},
    "ib.ngd": {"en": "normalised gradient descent (every step 0.1 long)", "zh": "归一化梯度下降（每步长度 0.1）"},
    "ib.theory": {"en": "theory: ‖w‖ ≈ log t / margin", "zh": "理论：‖w‖ ≈ log t / 间隔"},
    "ib.t": {"en": "step t (log scale)", "zh": "步数 t（对数刻度）"},
    "ib.angle_title": {"en": "Angle between w and the SVM direction", "zh": "w 与 SVM 方向的夹角"},
    "ib.angle": {"en": "angle (°)", "zh": "夹角（°）"},
    "ib.norm_title": {"en": "‖w‖ of gradient descent against log t: it ends up a straight line",
                      "zh": "梯度下降的 ‖w‖ 对 log t：最终成为一条直线"},
    "ib.norm": {"en": "‖w‖", "zh": "‖w‖"},
    "ib.summary": {"en": "This seed: gradient descent is {start}° from the SVM direction at step 1, {mid}° at 10⁴, "
                         "{late}° at 10⁶ and {last}° at 10¹⁰; normalised gradient descent {ngd}° at step 1,000. Over "
                         "the last two decades ‖w‖ grows {slope} a decade (theory: ln 10/√5 = {theory}); the "
                         "normalised margin min yᵢ·w·xᵢ/‖w‖ is {margin} (the SVM's: {svm}).",
                   "zh": "本种子：梯度下降与 SVM 方向的夹角在第 1 步为 {start}°，10⁴ 步为 {mid}°，10⁶ 步为 {late}°，"
                         "10¹⁰ 步为 {last}°；归一化梯度下降在第 1,000 步为 {ngd}°。最后两个数量级里 ‖w‖ 每个数量级"
                         "增长 {slope}（理论：ln 10/√5 = {theory}）；归一化间隔 min yᵢ·w·xᵢ/‖w‖ 为 {margin}"
                         "（SVM 的：{svm}）。"},
    "mh.section": {"en": "Inside the model: the hidden layer's space", "zh": "模型内部：隐藏层空间"},
    "mh.note": {"en": "The first {n} test images, coloured by their digit, on the top two principal components of "
                      "{layer} (left) and of the raw pixels (right): training pulls the classes apart there, "
                      "so the output layer can separate them with straight lines.",
                "zh": "前 {n} 张测试图像，按数字着色，分别投影到{layer}（左）和原始像素（右）的前两个主成分上："
                      "训练在那里把各类拉开，输出层因此能用直线把它们分开。"},
    "mh.layer_mlp": {"en": "the last hidden layer", "zh": "最后一个隐藏层"},
    "mh.layer_cnn": {"en": "the CNN's features (the last layer's input)", "zh": "CNN 的特征（最后一层的输入）"},
    "mh.title_mlp": {"en": "Last hidden layer", "zh": "最后一个隐藏层"},
    "mh.title_cnn": {"en": "CNN features (the last layer's input)", "zh": "CNN 特征（最后一层的输入）"},
    "mh.raw": {"en": "Raw pixels", "zh": "原始像素"},
    "mh.no_hidden": {"en": "This model has no hidden layer: its output layer sees the raw pixels.",
                     "zh": "该模型没有隐藏层：输出层直接看到原始像素。"},
    "um.section": {"en": "Inside the model: each unit over the plane", "zh": "模型内部：每个单元在平面上的输出"},
    "um.note": {"en": "Each hidden unit's output over the view, for the first two hidden layers (what TensorFlow "
                      "Playground draws inside its neurons); the unit's number under its picture. Colours: {scale}, "
                      "each picture on its own scale.",
                "zh": "每个隐藏单元在当前视图上的输出，最多显示前两个隐藏层（TensorFlow Playground 在神经元里画的就是它）；"
                      "图下是单元编号。颜色：{scale}，每张图各用自己的刻度。"},
    "um.scale_zero_max": {"en": "white at 0, deeper orange up to the unit's largest output",
                          "zh": "0 为白色，越接近该单元的最大输出橙色越深"},
    "um.scale_centred": {"en": "white at 0, orange for positive and blue for negative outputs, up to the unit's "
                               "largest |output|",
                         "zh": "0 为白色，正输出为橙色、负输出为蓝色，深浅直到该单元的最大 |输出|"},
    "um.layer": {"en": "Hidden layer {i}: {n} units", "zh": "第 {i} 个隐藏层：{n} 个单元"},
    "um.none": {"en": "This model has no hidden layer: its only units are the outputs, drawn as the boundary above.",
                "zh": "该模型没有隐藏层：它仅有的单元是输出，即上方的决策边界。"},
    "hs.section": {"en": "Inside the model: the hidden space", "zh": "模型内部：隐藏空间"},
    "hs.exact": {"en": "The training points in the coordinates of the last hidden layer (its 2 units), coloured "
                       "by their given label, flipped labels ringed. The output layer draws straight lines here: "
                       "the hidden layers have bent the data until a line separates it.",
                 "zh": "训练点在最后一个隐藏层（2 个单元）坐标中的位置，按给定标签着色，被翻转的标签加圈。"
                       "输出层在这里画的是直线：隐藏层把数据弯折到可以用直线分开。"},
    "hs.pca": {"en": "The training points on the top two principal components of the last hidden layer "
                     "(it has more than 2 units, so this is a projection), coloured by their given label, "
                     "flipped labels ringed.",
               "zh": "训练点在最后一个隐藏层前两个主成分上的投影（该层多于 2 个单元），按给定标签着色，"
                     "被翻转的标签加圈。"},
    "hs.pc": {"en": "principal component {i} ({share} of the variance)", "zh": "第 {i} 主成分（方差占比 {share}）"},
    "hs.pc_short": {"en": "PC {i} ({share} of the variance)", "zh": "主成分 {i}（方差 {share}）"},
    "se.toggle": {"en": "Explain each step", "zh": "逐步讲解每一步"},
    "se.help": {"en": "With Step (one step), show that step's mini-batch: each point's error, the gradient as "
                      "their average times x, the update w ← w − α·∇J, and the line before it (dashed).",
                "zh": "点击“单步”时，显示这一步的小批量：每个点的误差、梯度（误差乘以 x 的平均）、"
                      "更新 w ← w − α·∇J，以及更新前的直线（虚线）。"},
    "se.title": {"en": "Step {step}, explained", "zh": "第 {step} 步详解"},
    "se.batch": {"en": "This step's mini-batch: {b} training points (the first {shown} listed). z = w·x + b, "
                       "p = σ(z), and each point's error {dz}.",
                 "zh": "这一步的小批量：{b} 个训练点（列出前 {shown} 个）。z = w·x + b，p = σ(z)，"
                       "以及每个点的误差 {dz}。"},
    "se.standardised": {"en": "x as the model sees it: standardised inside the model (the lines below are in the "
                              "data's own units).",
                        "zh": "x 为模型看到的值：已在模型内部标准化（下面的直线使用数据的原始单位）。"},
    "se.gradient_no_bias": {"en": "Gradient: ∇J = (1/{b}) Σ ({dz})·x = {g} (no bias: the weights are all there is "
                                  "to update).",
                            "zh": "梯度：∇J = (1/{b}) Σ ({dz})·x = {g}（没有偏置：只更新权重）。"},
    "se.taken_same_no_bias": {"en": "Plain SGD took exactly this step: w = {taken}.",
                              "zh": "普通 SGD 正是这样走的：w = {taken}。"},
    "se.taken_other_no_bias": {"en": "This optimizer took a different step: w = {taken} (momentum remembers earlier "
                                     "gradients, Adam rescales each coordinate).",
                               "zh": "这个优化器走了不同的一步：w = {taken}（动量记住以前的梯度，Adam 对每个坐标"
                                     "分别缩放）。"},
    "se.gradient": {"en": "Gradient: ∇J = (1/{b}) Σ ({dz})·x = {g};  ∂J/∂b = (1/{b}) Σ ({dz}) = {gb}.",
                    "zh": "梯度：∇J = (1/{b}) Σ ({dz})·x = {g}；∂J/∂b = (1/{b}) Σ ({dz}) = {gb}。"},
    "se.decay": {"en": "L2 weight decay adds λ·w = {d} to the gradient.",
                 "zh": "L2 权重衰减在梯度上加上 λ·w = {d}。"},
    "se.l1": {"en": "L1 then applies the soft threshold after the optimizer's step: w ← sign(w)·max(|w| − αλ, 0) "
                    "with αλ = {t}, so the weights taken differ from this update.",
              "zh": "随后 L1 在优化器更新之后做软阈值：w ← sign(w)·max(|w| − αλ, 0)，其中 αλ = {t}，所以实际权重与这一更新不同。"},
    "se.update": {"en": "Update: w ← w − α·∇J = {w} − {lr}·{g} = {new}.",
                  "zh": "更新：w ← w − α·∇J = {w} − {lr}·{g} = {new}。"},
    "se.taken_same": {"en": "Plain SGD took exactly this step: w = {taken}; b: {b_old} → {b_new}.",
                      "zh": "普通 SGD 正是这样走的：w = {taken}；b：{b_old} → {b_new}。"},
    "se.taken_other": {"en": "This optimizer took a different step: w = {taken} (momentum remembers earlier "
                             "gradients, Adam rescales each coordinate); b: {b_old} → {b_new}.",
                       "zh": "这个优化器走了不同的一步：w = {taken}（动量记住以前的梯度，Adam 对每个坐标"
                             "分别缩放）；b：{b_old} → {b_new}。"},
    "se.line_old": {"en": "Before (dashed on the plot): {eq}", "zh": "更新前（图中虚线）：{eq}"},
    "se.line_new": {"en": "After (solid): {eq}  (in the data's units)", "zh": "更新后（实线）：{eq}（数据的原始单位）"},
    "side.label": {"en": "Beside the boundary", "zh": "边界旁边显示"},
    "side.help": {"en": "Draw a second live view under the boundary: the loss over the two weights of logistic "
                        "regression (parameter space), the training points as the last hidden layer sees them "
                        "(hidden space), each hidden unit's output over the plane, or the whole network with its "
                        "weights as lines. It is redrawn up to 4 times a second while playing.",
                  "zh": "在边界下方再画一个实时视图：逻辑回归两个权重上的损失（参数空间），或最后一个隐藏层"
                        "眼中的训练点（隐藏空间），或每个隐藏单元在平面上的输出，或整个网络及其权重连线。播放时每秒最多重画 4 次。"},
    "side.none": {"en": "nothing", "zh": "不显示"},
    "side.params": {"en": "parameter space", "zh": "参数空间"},
    "side.hidden": {"en": "hidden space", "zh": "隐藏空间"},
    "side.units": {"en": "each unit", "zh": "每个单元"},
    "side.network": {"en": "network", "zh": "网络结构"},
    "side.network_note": {"en": "The network: its inputs on the left, each hidden unit as its output over the view "
                                "(white at 0, orange positive, blue negative, each on its own scale), the output as "
                                "the class probability. Lines are the weights (the model's own, on its standardised "
                                "inputs): orange positive, blue negative, thicker for larger |w| (the thickest: "
                                "|w| = {wmax}). Point at a unit or a line for its bias or weight.",
                          "zh": "网络结构：左边是输入，每个隐藏单元画成它在视图中的输出（0 为白色，正为橙色，负为蓝色，"
                                "每个单元按各自的范围着色），输出画成类别概率。连线是权重（模型自己的权重，作用于标准化"
                                "后的输入）：橙色为正，蓝色为负，|w| 越大线越粗（最粗的 |w| = {wmax}）。把鼠标指向单元"
                                "或连线可看它的偏置或权重。"},
    "side.network_more": {"en": "A layer wider than {shown} units shows its first {shown}, and lines join only the "
                                "units drawn.",
                          "zh": "超过 {shown} 个单元的层只画前 {shown} 个，连线只连接画出的单元。"},
    "net.inputs": {"en": "inputs", "zh": "输入"},
    "net.layer": {"en": "layer {l}", "zh": "第 {l} 层"},
    "net.outputs": {"en": "output", "zh": "输出"},
    "net.more": {"en": "+{n} more", "zh": "另有 {n} 个"},
    "net.input": {"en": "input {name}", "zh": "输入 {name}"},
    "net.unit": {"en": "layer {l}, unit {i}: bias {b}", "zh": "第 {l} 层第 {i} 个单元：偏置 {b}"},
    "net.output": {"en": "output {i}: bias {b}", "zh": "第 {i} 个输出：偏置 {b}"},
    "net.weight": {"en": "weight {w}: {a} → {b}", "zh": "权重 {w}：{a} → {b}"},
    "net.unit_name": {"en": "layer {l} unit {i}", "zh": "第 {l} 层第 {i} 个单元"},
    "net.output_name": {"en": "output {i}", "zh": "第 {i} 个输出"},
    "side.units_dead": {"en": "{n} of these units output 0 at every point of the view (an all-white tile): dead units, which get no gradient from the points here.",
                        "zh": "其中 {n} 个单元在视图内每一点的输出都是 0（整块白色）：这是“死亡”单元，这里的点不会给它们任何梯度。"},
    "side.units_note": {"en": "Each hidden unit's output over the view above, for the first two hidden layers (what "
                              "TensorFlow Playground draws inside its neurons). Colours: {scale}, each picture on its "
                              "own scale.",
                        "zh": "每个隐藏单元在上方视图中的输出，最多显示前两个隐藏层（TensorFlow Playground 在神经元里"
                              "画的就是它）。颜色：{scale}，每张小图按各自的范围着色。"},
    "side.params_note": {"en": "Parameter space: the loss J(w₁, w₂) (colour, dark = low; no weight decay), bias held "
                               "at b = {b}, in the model's standardised input units. White: the path so far; red: the "
                               "weights now and −∇J. The loss lives here, the boundary in the plane above.",
                         "zh": "参数空间：损失 J(w₁, w₂)（颜色，越暗越低；不含权重衰减），偏置固定为 b = {b}，"
                               "单位为模型标准化后的输入单位。白线：至今的路径；红色：当前权重与 −∇J。损失在这里，"
                               "边界在上方的平面里。"},
    "side.params_note_no_bias": {"en": "Parameter space: the loss J(w₁, w₂) (colour, dark = low; no weight decay). "
                                       "This model has no bias, so the map is the whole cost: nothing held fixed. "
                                       "White: the path so far; red: the weights now and −∇J. The loss lives here, "
                                       "the boundary w·x = 0 in the plane above.",
                                 "zh": "参数空间：损失 J(w₁, w₂)（颜色，越暗越低；不含权重衰减）。该模型没有偏置，"
                                       "所以这张图就是完整的代价，没有固定任何量。白线：至今的路径；红色：当前权重与 −∇J。"
                                       "损失在这里，边界 w·x = 0 在上方的平面里。"},
    "side.hidden_exact": {"en": "Hidden space: the training points in the last hidden layer's 2 units (h₁, h₂); "
                                "the output layer's boundaries are straight lines here.",
                          "zh": "隐藏空间：训练点在最后隐藏层 2 个单元 (h₁, h₂) 中的位置；输出层的边界在这里是直线。"},
    "side.hidden_pca": {"en": "Hidden space: the training points on the top two principal components of the last "
                              "hidden layer (a projection: it has more than 2 units).",
                        "zh": "隐藏空间：训练点在最后隐藏层前两个主成分上的投影（该层多于 2 个单元）。"},
    "hs.label": {"en": "given label", "zh": "给定标签"},
    "hs.no_hidden": {"en": "Logistic regression has no hidden layer: its inputs are its features.",
                     "zh": "逻辑回归没有隐藏层：输入本身就是它的特征。"},
    "fp.features": {"en": "This model's first layer takes the features ({names}) of the point, not x itself.",
                    "zh": "此模型的第一层接收该点的特征（{names}），而不是 x 本身。"},
    "fp.not_piecewise": {"en": "With {activation} the network is curved everywhere: no linear piece to show.",
                         "zh": "使用 {activation} 时网络处处弯曲：没有可显示的线性片。"},
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
    "wd.l1": {"en": "L1 (soft threshold)", "zh": "L1（软阈值）"},
    "speed.slow": {"en": "slow", "zh": "慢"},
    "speed.normal": {"en": "normal", "zh": "正常"},
    "speed.fast": {"en": "fast", "zh": "快"},
    "speed.fastest": {"en": "fastest", "zh": "最快"},
    # ---- MNIST data (core/data/mnist_data.py) ----
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
    "preset.noise_ce_vs_gce.text": {"en": "30% of the training labels are flipped and the network is large enough to memorise them: cross-entropy carves little islands around the wrong labels, so its memorised flips climb and its test accuracy, measured on clean labels, falls. Generalised cross-entropy with q = 0.7 scales each point's gradient by p_y^q, so points the model finds implausible pull much less and its boundary stays closer to the clean circle, which usually shows as a higher test accuracy.",
                                    "zh": "30% 的训练标签被翻转，而网络大到足以记住它们：交叉熵在错误标签周围划出小岛，于是它“记住的翻转标签”不断上升，而在干净标签上测得的测试准确率下降。q = 0.7 的广义交叉熵把每个点的梯度乘以 p_y^q，模型认为不可信的点拉力小得多，因此它的边界更接近干净的圆，通常表现为更高的测试准确率。"},
    "preset.exp_vs_logistic.title": {"en": "Exponential vs logistic loss with flipped labels", "zh": "有翻转标签时的指数损失与逻辑损失"},
    "preset.exp_vs_logistic.text": {"en": "One in five points of class 0 is relabelled as class 1; these flipped points sit inside the class-0 blob, on the wrong side of any good line. The exponential loss e^(−m) pulls on each point with strength e^(−m), so these misclassified points dominate and drag its line into the class-0 blob, leaving some clean class-0 points on its wrong side; the logistic loss (cross-entropy) pulls with strength at most 1 per point, so its line gives way only as far as the blob's edge.",
                                    "zh": "类别 0 中每五个点就有一个被改标为类别 1，这些被翻转的点位于类别 0 的点团内部，处在任何好直线的错误一侧。指数损失 e^(−m) 对每个点的拉力为 e^(−m)，因此这些被误分类的点占据主导，把它的直线拖进类别 0 的点团，使一些干净的类别 0 点落到它的错误一侧；而逻辑损失（交叉熵）对每个点的拉力至多为 1，所以它的直线只退让到点团的边缘。"},
    "preset.lr_too_high.title": {"en": "Learning rate too high", "zh": "学习率过高"},
    "preset.lr_too_high.text": {"en": "Each SGD step moves the weights by the learning rate times the gradient, and at learning rate 3 every step overshoots the bottom of the loss valley and lands higher up on the other side, where the slope is even steeper. With the quadratic squared hinge loss these overshoots grow geometrically until the loss becomes infinite, so training pauses and the last good weights are restored: lower the learning rate to 0.1 and press Play again.",
                                "zh": "每一步 SGD 都把权重移动“学习率 × 梯度”那么远；学习率为 3 时，每一步都会越过损失谷底，落到对面更高、更陡的地方。平方合页损失是二次的，这样的越界会成倍放大，直到损失变为无穷大，于是训练暂停并恢复最后一组正常的权重：把学习率降到 0.1 再按播放即可。"},
    "preset.smoothing_calibration.title": {"en": "Label smoothing and calibration", "zh": "标签平滑与校准"},
    "preset.smoothing_calibration.text": {"en": "Cross-entropy is smallest when the true class gets probability 1, so the network keeps growing its logits, while label smoothing with ε = 0.1 aims at 0.91 for the true class and 0.01 for each other class: at every epoch smoothing's confidence sits below cross-entropy's and below its own accuracy (its reliability bars stand above the diagonal). In the first five epochs cross-entropy is well calibrated, so smoothing has the larger ECE on both MNIST and Fashion-MNIST; as cross-entropy trains on it grows over-confident, slowly on MNIST (at epoch 40 its ECE, about 0.03, is still far below smoothing's 0.13) but fast on Fashion-MNIST, where the two ECEs cross near epoch 20 and by epoch 40 smoothing's is clearly the lower (about 0.05 against 0.09).",
                                          "zh": "当真实类别的概率为 1 时交叉熵最小，所以网络会不断放大 logit，而标签平滑（ε = 0.1）让真实类别趋向 0.91、其余每个类别趋向 0.01：在每一轮，标签平滑的置信度都低于交叉熵的置信度，也低于它自己的准确率（可靠性图的柱子高出对角线）。在最初五轮，交叉熵校准良好，所以无论在 MNIST 还是 Fashion-MNIST 上，标签平滑的 ECE 都更大；随着训练继续，交叉熵变得过度自信：在 MNIST 上很慢（第 40 轮时它的 ECE 约 0.03，仍远低于标签平滑的 0.13），在 Fashion-MNIST 上却很快，两者的 ECE 在第 20 轮左右交叉，到第 40 轮时标签平滑的 ECE 明显更低（约 0.05 对 0.09）。"},
    "preset.l2_vs_adamw.title": {"en": "L2 in the loss vs AdamW", "zh": "损失中的 L2 与 AdamW"},
    "preset.l2_vs_adamw.text": {"en": "With Adam, an L2 penalty in the loss adds λw to the gradient, which Adam then divides by its running gradient scale, so once the data are fitted and the gradients are small it shrinks the weights hard, and unevenly from weight to weight. AdamW applies the same λ as decoupled weight decay, w ← w·(1 − ηλ) after each step, which is gentle here: the two runs end with very different weight sizes and confidence.",
                                "zh": "使用 Adam 时，损失中的 L2 惩罚会在梯度中加入 λw，随后又被 Adam 的梯度尺度估计所除，所以一旦数据已被拟合、梯度变小，它就会强烈而且因权重而异地收缩权重。AdamW 把同样的 λ 用作解耦权重衰减，每步之后 w ← w·(1 − ηλ)，在这里作用很温和：两个实验最终的权重大小和置信度差别很大。"},
    "preset.relu_pieces.title": {"en": "ReLU networks are piecewise linear", "zh": "ReLU 网络是分段线性的"},
    "preset.relu_pieces.text": {"en": "Each of the six ReLU units switches on along one straight line, so the network is linear inside each region those lines cut out. The boundary around the inner circle is therefore a polygon made of straight pieces.",
                                "zh": "六个 ReLU 单元各自沿一条直线开启，因此在这些直线划分出的每个区域内，网络都是线性的。所以内圈周围的决策边界是由直线段组成的多边形。"},
    "preset.hidden_space.title": {"en": "A hidden layer makes the circles separable by a line",
                                  "zh": "隐藏层让两个圆环可以被一条直线分开"},
    "preset.hidden_space.text": {"en": "The last hidden layer has only 2 units, so each point can be drawn exactly where the output layer sees it. No line separates the disc from the ring in the plane, but in this hidden space the output layer's single straight line does.",
                                 "zh": "最后一个隐藏层只有 2 个单元，因此每个点都能精确地画在输出层看到它的位置上。在原平面上没有直线能分开圆盘与圆环，但在这个隐藏空间里，输出层的一条直线就做到了。"},
    "preset.reg_outliers.title": {"en": "MSE vs MAE with outliers", "zh": "有离群点时的 MSE 与 MAE"},
    "preset.reg_outliers.text": {"en": "A tenth of the training targets are pushed far up, and MSE, which squares each residual, lets those few points drag the whole line towards them. Switch the loss to MAE or Huber while it plays and the line comes back to the clean points.",
                                 "zh": "十分之一的训练目标被远远推高，而对每个残差取平方的 MSE 让这几个点把整条直线拉了过去。播放时把损失换成 MAE 或 Huber，直线就会回到干净的点上。"},
    "preset.reg_outliers.watch": {"en": "the red line and the ringed outliers above it; then switch the loss to MAE and watch the residuals of the clean points shrink back to 0.",
                                  "zh": "红色直线和它上方加圈的离群点；然后把损失换成 MAE，看干净点的残差重新缩回 0 附近。"},
    "preset.reg_quantile.title": {"en": "The 0.8 quantile: stock for asymmetric costs", "zh": "0.8 分位数：非对称代价下的备货量"},
    "preset.reg_quantile.text": {"en": "A shop orders θ units a day; a unit short costs 4 and a unit left over costs 1, so the best order is not the average demand. The loss pushes θ up until four times as many days lie below it as above, which is the 0.8 quantile of the demand.",
                                 "zh": "一家店每天订 θ 件货；缺一件损失 4，剩一件损失 1，所以最优订货量不是平均需求。损失把 θ 往上推，直到 θ 以下的天数是以上的四倍，也就是需求的 0.8 分位数。"},
    "preset.reg_quantile.watch": {"en": "the flat red line θ climbing above most of the demand points and stopping at the demand's 0.8 quantile (about 10, the vertical line of the cost plot); change a or b and it moves to the a/(a + b) quantile.",
                                  "zh": "红色水平线 θ 爬到大部分需求点之上并停在需求的 0.8 分位数处（约为 10，即代价图中的竖线）；改变 a 或 b，它会移到 a/(a + b) 分位数。"},
    "preset.reg_zero.title": {"en": "Loss = 0: over-fitting and leakage", "zh": "损失为 0：过拟合与数据泄漏"},
    "preset.reg_zero.text": {"en": "A polynomial of degree 13 through twelve points can pass through every one of them, so its training loss is about zero while the test loss is huge. Leaking the test points into training makes the test loss tiny as well, and then it measures nothing.",
                             "zh": "一个 13 次多项式穿过十二个点时可以经过每一个点，所以训练损失约为零，而测试损失却很大。把测试点泄漏进训练，测试损失也会变得很小，但那时它什么也衡量不了。"},
    "preset.reg_zero.watch": {"en": "pause, open “Loss = 0 is not good news” and press Solve exactly: the curve hits every blue point and swings wildly between them; then tick the leak and solve again.",
                              "zh": "暂停，打开“损失为 0 并不是好消息”并点击精确求解：曲线穿过每个蓝点，在点之间剧烈摆动；然后勾选泄漏并再次求解。"},
    "preset.logistic_line.title": {"en": "Logistic regression draws a line", "zh": "逻辑回归画出一条直线"},
    "preset.logistic_line.text": {"en": "Two exam scores predict admission, and logistic regression models p = σ(w·x + b). Its decision boundary is exactly the line w·x + b = 0, drawn in black, and its gradient is (p − y)x.",
                                  "zh": "用两门考试成绩预测是否录取，逻辑回归的模型是 p = σ(w·x + b)。它的决策边界恰好是直线 w·x + b = 0（黑色），梯度为 (p − y)x。"},
    "preset.feature_circle.title": {"en": "A line in feature space is a circle in the plane",
                                    "zh": "特征空间里的直线是平面上的圆"},
    "preset.feature_circle.text": {"en": "The same logistic regression, but its inputs are x₁² and x₂² instead of x₁ and x₂, so its boundary w₁·x₁² + w₂·x₂² + b = 0 is still a straight line in that feature space. In the plane that line is a circle (an ellipse), and it separates the two rings that no straight line in (x₁, x₂) can.",
                                   "zh": "同样是逻辑回归，只是输入换成 x₁² 和 x₂² 而不是 x₁ 和 x₂，所以它的边界 w₁·x₁² + w₂·x₂² + b = 0 在这个特征空间里仍是一条直线。在平面上这条直线是一个圆（椭圆），它能分开 (x₁, x₂) 中任何直线都分不开的两个圆环。"},
    "preset.l1_sparsity.title": {"en": "L1 makes weights exactly zero", "zh": "L1 让权重精确地变为零"},
    "preset.l1_sparsity.text": {"en": "Logistic regression gets all seven inputs, and L1 shrinks every weight by ηλ after each step and stops it at 0 (a soft threshold). The inputs the circles do not need end at exactly 0, so the printed boundary keeps only x₁² and x₂².",
                                "zh": "逻辑回归拿到全部七个输入，L1 在每步之后把每个权重收缩 ηλ，并在 0 处停住（软阈值）。两个圆环用不上的输入最终精确为 0，于是打印出的边界只剩 x₁² 和 x₂²。"},
    # ---- run history, export/import, presets UI ----
    "nav.runs": {"en": "Run history", "zh": "实验记录"},
    "home.page.runs": {"en": "Every run of this session: compare curves, reopen a trained model, delete, export.",
                       "zh": "本次会话的所有实验：对比曲线、重新打开训练好的模型、删除、导出。"},
    "home.presets": {"en": "Classroom lessons", "zh": "课堂示例"},
    "home.presets_help": {"en": "One click opens a ready-made experiment; press ▶ Play on the page that opens.",
                          "zh": "点击即可打开准备好的实验；在打开的页面上按 ▶ 播放。"},
    "home.open_preset": {"en": "Open this lesson", "zh": "打开此示例"},
    # ---- landing page: the lesson path; MNIST page: data that is here ----
    "home.path.order": {"en": "In order, from the simplest to the hardest.", "zh": "按从易到难的顺序排列。"},
    "home.path.start": {"en": "Start here", "zh": "从这里开始"},
    "home.path.step": {"en": "Lesson {n}", "zh": "第 {n} 课"},
    "home.path.needs_data": {"en": "needs {name} data", "zh": "需要 {name} 数据"},
    "home.path.data_missing": {
        "en": "{name} is not on this server yet: the lesson's page says how to get it (the MNIST page can download it).",
        "zh": "本服务器上还没有 {name} 数据：课程页面会说明如何获取（MNIST 页面可以下载）。"},
    "mn.not_here_yet": {
        "en": "{name} is not on this server yet — that is normal on a new installation. Download it with the button below, or put the files in place yourself.",
        "zh": "本服务器上还没有 {name} 数据——新安装时这很正常。请用下面的按钮下载，或自行放置文件。"},
    "mn.use_present": {"en": "Use {name} (on this server)", "zh": "改用 {name}（本服务器上已有）"},
    "runs.title": {"en": "Run history", "zh": "实验记录"},
    "runs.intro": {"en": "Every run you start on any page is kept here for this browser session, with its settings and curves.",
                   "zh": "你在任何页面上开始的每个实验都会在本次浏览器会话中保存在这里，包括设置和曲线。"},
    "runs.empty": {"en": "No runs yet: open a page and train something.", "zh": "还没有实验：打开一个页面开始训练吧。"},
    "runs.col.page": {"en": "page", "zh": "页面"},
    "runs.col.title": {"en": "run", "zh": "实验"},
    "runs.col.steps": {"en": "steps", "zh": "步数"},
    "runs.col.age": {"en": "started", "zh": "开始于"},
    "runs.page.2d": {"en": "2D", "zh": "二维"},
    "runs.page.regression": {"en": "Regression", "zh": "回归"},
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
    "cmp.per_run": {"en": "Each run", "zh": "各实验单独设置"},
    "cmp.run_settings": {"en": "Run {n}", "zh": "实验 {n}"},
    "cmp.run_label": {"en": "Run {n}", "zh": "实验 {n}"},
    "cmp.restarted": {"en": "Shared settings changed: all runs restarted from the same initial weights.", "zh": "共享设置已改变：所有实验已从相同的初始权重重新开始。"},
    "cmp.metric": {"en": "Curve", "zh": "曲线"},
    "cmp.curve.test_ce": {"en": "test cross-entropy: one yardstick for every run", "zh": "测试交叉熵：所有实验同一把标尺"},
    "cmp.curve.test_mae": {"en": "test MAE: one yardstick for every run", "zh": "测试 MAE：所有实验同一把标尺"},
    "cmp.curve.test_acc": {"en": "test accuracy", "zh": "测试准确率"},
    "cmp.curve.test_loss": {"en": "own test loss (each run's loss: units differ)", "zh": "自身测试损失（各自的损失，单位不同）"},
    "cmp.curve.train_loss": {"en": "own training loss (units differ)", "zh": "自身训练损失（单位不同）"},
    "cmp.curve.train_acc_flipped": {"en": "flipped points fitted to the wrong label", "zh": "拟合到错误标签的被翻转点"},

    "cmp.curve_legend": {"en": "One colour per run, as in the headings above.", "zh": "每个实验一种颜色，与上方标题一致。"},
    "cmp.status": {"en": "Lockstep: step {step} · epoch {epoch}", "zh": "同步训练：第 {step} 步 · 第 {epoch} 轮"},
    "cmp.table": {"en": "Final metrics", "zh": "最终指标"},
    "cmp.col.run": {"en": "run", "zh": "实验"},
    "cmp.col.steps": {"en": "steps", "zh": "步数"},
    "cmp.mnist_data_hint": {"en": "Open the MNIST page to download the data, or place the files as described.", "zh": "请打开 MNIST 页面下载数据，或按说明放置文件。"},
    # the regression comparison (Compare page, kind "regression")
    "cmp.kind.regression": {"en": "1D regression", "zh": "一维回归"},
    "cmpr.seed_help": {"en": "One seed for all runs: same points, same outliers, same initial weights.", "zh": "所有实验共用一个种子：相同的数据点、相同的离群点、相同的初始权重。"},
    "cmpr.status": {"en": "step {step} · train loss {train} · test loss {test} · test MAE {mae} · test RMSE {rmse}",
                    "zh": "第 {step} 步 · 训练损失 {train} · 测试损失 {test} · 测试 MAE {mae} · 测试 RMSE {rmse}"},
    "cmpr.legend": {"en": "● train (grey)  ● test (light grey)  ◯ outlier  - - truth (the data's median)  — each run's fit in its colour:",
                    "zh": "● 训练点（灰）  ● 测试点（浅灰）  ◯ 离群点  - - 真实函数（数据的中位数）  — 各实验的拟合，颜色同实验："},
    "cmpr.yardstick_note": {"en": "Train and test loss: each run's own loss, in its own units (the test points are clean). Test MAE and RMSE: the same yardstick for every run, on the clean test points.",
                            "zh": "训练与测试损失：各实验自身的损失，单位各不相同（测试点没有离群点）。测试 MAE 与 RMSE：所有实验相同的标尺，在干净的测试点上计算。"},
    "cmpr.col.test_loss": {"en": "own test loss", "zh": "自身测试损失"},
    "cmpr.col.mae": {"en": "test MAE", "zh": "测试 MAE"},
    "cmpr.col.rmse": {"en": "test RMSE", "zh": "测试 RMSE"},
    "lbl.rloss.mse": {"en": "MSE", "zh": "均方误差"},
    "lbl.rloss.mae": {"en": "MAE", "zh": "平均绝对误差"},
    "lbl.rloss.huber": {"en": "Huber", "zh": "Huber 损失"},
    "lbl.rloss.log_cosh": {"en": "log-cosh", "zh": "对数双曲余弦"},
    "lbl.rloss.pinball": {"en": "pinball", "zh": "弹球损失"},
    "lbl.rloss.asymmetric": {"en": "asymmetric cost", "zh": "非对称代价"},
    "lbl.model.linear": {"en": "linear", "zh": "线性"},
    "lbl.model.polynomial": {"en": "polynomial", "zh": "多项式"},
    "lbl.model.constant": {"en": "constant θ", "zh": "常数 θ"},
    "lbl.degree": {"en": "degree {n}", "zh": "{n} 次"},
    "lbl.band": {"en": "quantile band", "zh": "分位数带"},
    "lbl.no_band": {"en": "no band", "zh": "无分位数带"},
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
    "mn.data_folder": {"en": "The files go in `{folder}`, inside the app's folder (the one holding app.py); set PLAYGROUND_DATA_DIR to use another data folder.",
                       "zh": "文件应放在 `{folder}`，即应用文件夹（app.py 所在的文件夹）之内；如需使用其他数据文件夹，请设置 PLAYGROUND_DATA_DIR。"},
    "mn.data_folder_env": {"en": "The files go in `{folder}`: the data folder is the one that PLAYGROUND_DATA_DIR names on this server (its path is not shown here).",
                           "zh": "文件应放在 `{folder}`：数据文件夹是本服务器上 PLAYGROUND_DATA_DIR 所指定的文件夹（此处不显示其路径）。"},
    "mn.step": {"en": "Train a little", "zh": "训练一小段"},
    "mn.step_help": {"en": "Train for a fraction of a second, then pause.", "zh": "训练不到一秒，然后暂停。"},
    "mn.train_teacher": {"en": "Train teacher ({epochs} epochs)", "zh": "训练教师网络（{epochs} 轮）"},
    "mn.teacher_help": {"en": "Trains a teacher on the same data and labels, then restarts the student from its initial weights so it can learn by distillation.",
                        "zh": "在相同的数据和标签上训练教师网络，然后学生网络从初始权重重新开始，以便通过蒸馏学习。"},
    "mn.teacher_training": {"en": "Training the teacher…", "zh": "正在训练教师网络…"},
    "mn.need_teacher": {"en": "Distillation needs a teacher: press “Train teacher”. Until then the student uses cross-entropy.",
                        "zh": "蒸馏需要教师网络：请按“训练教师网络”。在此之前学生网络使用交叉熵。"},
    "mn.teacher_ready": {"en": "Teacher ready: clean test accuracy {acc:.1%}.", "zh": "教师网络已就绪：干净测试集准确率 {acc:.1%}。"},
    "mn.epoch_progress": {"en": "Epoch {epoch}: {pct:.0%}", "zh": "第 {epoch} 轮：{pct:.0%}"},
    "mn.n_train_all": {"en": "{asked} training images asked for, {have} here: the run trains on all {have}.",
                       "zh": "设置要求 {asked} 张训练图像，这里只有 {have} 张：本次训练使用全部 {have} 张。"},
    "mn.step_too_long": {"en": "one training step takes {ms} ms of the server's CPU, longer than a live frame ({limit} ms): "
                                "the page updates more slowly; a smaller batch or model keeps it live",
                         "zh": "一步训练占用服务器 CPU {ms} 毫秒，超过一帧实时画面（{limit} 毫秒）：页面更新会变慢；"
                               "减小批大小或模型可保持实时"},
    "mn.status": {"en": "Step {step} · epoch {epoch} · train loss {train} · test loss {test} · clean test accuracy {acc:.2%} · learning rate {lr}",
                  "zh": "第 {step} 步 · 第 {epoch} 轮 · 训练损失 {train} · 测试损失 {test} · 干净测试集准确率 {acc:.2%} · 学习率 {lr}"},
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
    "mn.class_key": {"en": "Class colours:", "zh": "类别颜色："},
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
    # ---- losses (core/learning/losses.py) ----
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
    # ---- regression losses and models (core/learning/regression_losses.py, core/learning/regression_models.py) ----
    "rloss.mse.name": {"en": "Mean squared error (MSE)", "zh": "均方误差（MSE）"},
    "rloss.mse.desc": {
        "en": "Mean of the squared residuals; the mean is its best constant, and one large error dominates it.",
        "zh": "残差平方的平均值；最优常数是均值，一个大误差就能主导它。",
    },
    "rloss.mae.name": {"en": "Mean absolute error (MAE)", "zh": "平均绝对误差（MAE）"},
    "rloss.mae.desc": {
        "en": "Mean of the absolute residuals; the median is its best constant, robust to outliers, but its gradient jumps at 0.",
        "zh": "残差绝对值的平均值；最优常数是中位数，对离群点鲁棒，但梯度在 0 处跳变。",
    },
    "rloss.huber.name": {"en": "Huber", "zh": "Huber 损失"},
    "rloss.huber.desc": {
        "en": "Squared for residuals within δ, linear beyond: MSE's smooth minimum with MAE's robustness.",
        "zh": "残差在 δ 以内为平方、超过后为线性：兼具均方误差的平滑最小值与平均绝对误差的鲁棒性。",
    },
    "rloss.log_cosh.name": {"en": "Log-cosh", "zh": "对数双曲余弦（log-cosh）"},
    "rloss.log_cosh.desc": {
        "en": "log cosh of the residual: like ½r² near 0 and like |r| − log 2 far away, smooth everywhere.",
        "zh": "残差的 log cosh：在 0 附近像 ½r²，远处像 |r| − log 2，处处光滑。",
    },
    "rloss.pinball.name": {"en": "Pinball (quantile)", "zh": "弹球损失（分位数）"},
    "rloss.pinball.desc": {
        "en": "Under-prediction costs τ per unit, over-prediction 1 − τ: the best constant is the τ-quantile.",
        "zh": "预测偏低每单位代价为 τ，偏高为 1 − τ：最优常数是 τ 分位数。",
    },
    "rloss.asymmetric.name": {"en": "Asymmetric linear cost", "zh": "非对称线性代价"},
    "rloss.asymmetric.desc": {
        "en": "Cost a per unit short and b per unit over; the same as pinball with τ = a/(a + b), scaled by a + b.",
        "zh": "每短缺一单位代价为 a，每多出一单位代价为 b；等于 τ = a/(a + b) 的弹球损失乘以 a + b。",
    },
    "rloss.param.delta": {"en": "Huber threshold δ", "zh": "Huber 阈值 δ"},
    "rloss.param.tau": {"en": "Quantile τ", "zh": "分位数 τ"},
    "rloss.param.a": {"en": "Cost of under-predicting a", "zh": "预测偏低的代价 a"},
    "rloss.param.b": {"en": "Cost of over-predicting b", "zh": "预测偏高的代价 b"},
    "rmodel.linear": {"en": "Linear", "zh": "线性"},
    "rmodel.polynomial": {"en": "Polynomial", "zh": "多项式"},
    "rmodel.mlp": {"en": "Neural network (MLP)", "zh": "神经网络（MLP）"},
    "rmodel.constant": {"en": "Constant θ", "zh": "常数 θ"},
    "rmodel.param.degree": {"en": "Degree", "zh": "次数"},
    # ---- data and label noise (core/data/data2d.py, core/data/noise.py) ----
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
    "data.exam.x_axis": {"en": "exam 1 score", "zh": "考试 1 成绩"},
    "data.exam.y_axis": {"en": "exam 2 score", "zh": "考试 2 成绩"},
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
    # ---- 1-D regression data and outliers (core/data/data1d.py) ----
    "data1d.linear.name": {"en": "Line", "zh": "直线"},
    "data1d.linear.desc": {"en": "y = 0.8x + 0.5 plus Gaussian noise.", "zh": "y = 0.8x + 0.5 加高斯噪声。"},
    "data1d.sine.name": {"en": "Sine wave", "zh": "正弦波"},
    "data1d.sine.desc": {"en": "y = 1.5 sin(πx/2) plus Gaussian noise: a straight line cannot follow it.",
                         "zh": "y = 1.5 sin(πx/2) 加高斯噪声：直线无法拟合它。"},
    "data1d.step.name": {"en": "Step", "zh": "阶跃"},
    "data1d.step.desc": {"en": "y jumps from −1 to +1 at x = 0, plus Gaussian noise.",
                         "zh": "y 在 x = 0 处从 −1 跳到 +1，加高斯噪声。"},
    "data1d.heteroscedastic.name": {"en": "Growing noise", "zh": "噪声递增"},
    "data1d.heteroscedastic.desc": {"en": "The line y = 0.8x + 0.5; the noise grows with x, from none at the left edge to twice the setting at the right.",
                                    "zh": "直线 y = 0.8x + 0.5；噪声随 x 增大，从左端为零到右端为设定值的两倍。"},
    "data1d.heavy_tailed.name": {"en": "Heavy-tailed noise", "zh": "重尾噪声"},
    "data1d.heavy_tailed.desc": {"en": "The line y = 0.8x + 0.5 with Student-t noise: the fewer degrees of freedom, the more extreme values (1 is the Cauchy distribution, which has no mean).",
                                 "zh": "直线 y = 0.8x + 0.5 加学生 t 噪声：自由度越小，极端值越多（自由度为 1 即柯西分布，它没有均值）。"},
    "data1d.demand.name": {"en": "Daily demand", "zh": "每日需求"},
    "data1d.demand.desc": {"en": "Units sold per day, one point per day: positive and right-skewed (log-normal); on 80% of days demand stays below 10.",
                           "zh": "每天的销量，每天一个点：为正且右偏（对数正态分布）；80% 的日子需求低于 10。"},
    "data1d.demand.x_axis": {"en": "day (first at −3, last at +3)", "zh": "日期（第一天在 −3，最后一天在 +3）"},
    "data1d.demand.y_axis": {"en": "demand (units)", "zh": "需求（件）"},
    "data1d.upload.name": {"en": "Upload CSV…", "zh": "上传 CSV…"},
    "data1d.upload.desc": {"en": "Your own points: a CSV file with columns x, y.", "zh": "你自己的数据点：包含 x、y 两列的 CSV 文件。"},
    "err.csv1d.columns": {
        "en": "Line {line}: expected 2 comma-separated values (x,y), found {found}.",
        "zh": "第 {line} 行：应有 2 个以逗号分隔的值（x,y），实际为 {found} 个。",
    },
    "outliers.side.up": {"en": "Too high", "zh": "偏高"},
    "outliers.side.down": {"en": "Too low", "zh": "偏低"},
    "outliers.side.both": {"en": "Both ways", "zh": "双向"},
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
    "imp.why.pickle_large": {"en": "the archive entry “{entry}” would unpack to {size:,} bytes; a weights file for this "
                                   "model needs at most {limit:,} there; nothing was unpacked",
                             "zh": "压缩包条目“{entry}”解压后将有 {size:,} 字节；该模型的权重文件在此最多只需 {limit:,} 字节；"
                                   "未解压任何内容"},
    "imp.why.pickle_ops": {"en": "its list of tensors (data.pkl) has more than {limit:,} instructions, far more than "
                                 "this model's weights need; it was not read",
                           "zh": "其张量清单（data.pkl）的指令超过 {limit:,} 条，远多于该模型权重所需；未读取该清单"},
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
    "imp.why.outputs_huge": {"en": "with these weights the model's outputs reach {value:.3g} on ordinary inputs, beyond "
                                   "{limit:.0e}: every loss of them overflows (largest value {largest:.3g}, in “{key}”)",
                             "zh": "使用这些权重时，即使输入普通，模型的输出也达到 {value:.3g}，超过 {limit:.0e}："
                                   "任何损失都会溢出（最大值 {largest:.3g}，位于“{key}”）"},
    "imp.why.load": {"en": "PyTorch refused to load them into this model", "zh": "PyTorch 拒绝把它们载入该模型"},
    # ---- server budget: frame time, session memory ----
    "mn.device": {"en": "Training on: {name}", "zh": "训练设备：{name}"},
    "budget.too_slow": {"en": "Training slower than the chosen speed: {done} of {wanted} steps per frame. The model is too big for live training at this speed, or many students share the server right now.",
                        "zh": "训练慢于所选速度：每帧只完成 {wanted} 步中的 {done} 步。模型太大，无法以此速度实时训练，或此刻有许多学生共用服务器。"},
    "budget.run_released": {
        "en": "This page's last run was closed while you used another page, to keep this session within {mb} MB of "
              "the server's memory; it is listed under Run history. A new run starts from the settings.",
        "zh": "你在使用其他页面时，本页的上一次实验已被关闭，以使本会话占用的服务器内存不超过 {mb} MB；"
              "它仍列在“实验记录”中。新的实验将按当前设置开始。"},
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
    "lbl.layers_last": {"en": "{depth} layers × {width}, the last {last}", "zh": "{depth} 层 × {width}，最后一层 {last}"},
    "lbl.bias": {"en": "with bias", "zh": "有偏置"},
    "lbl.no_bias": {"en": "no bias", "zh": "无偏置"},
    "lbl.features": {"en": "inputs {names}", "zh": "输入 {names}"},
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
    "cmp.diverged_restored": {"en": "{run} diverged at step {step} (learning rate {lr}); its weights were restored to step {restored} and it waits while the others go on.",
                              "zh": "{run} 在第 {step} 步发散（学习率 {lr}）；其权重已恢复到第 {restored} 步，它将暂停，其他实验继续。"},
    "lesson.badge": {"en": "Lesson", "zh": "课堂示例"},
    "lesson.watch": {"en": "Watch for: {what}", "zh": "请留意：{what}"},
    "lesson.reset": {"en": "Restart", "zh": "重新开始"},
    "lesson.reset_help": {"en": "Back to this lesson's settings and its first step.", "zh": "回到本示例的设置，从第一步重新开始。"},
    "lesson.back": {"en": "All lessons", "zh": "全部示例"},
    "lesson.dismiss": {"en": "Hide", "zh": "隐藏"},
    "preset.mse_vs_ce.watch": {"en": "the cross-entropy run's test cross-entropy (the curve: one yardstick for both runs) falling well before the Brier run's.",
                               "zh": "交叉熵实验的测试交叉熵（曲线：两个实验同一把标尺）比 Brier 实验下降得早得多。"},
    "preset.noise_ce_vs_gce.watch": {"en": "the numbers under each boundary by step 4,500 (15 seconds): cross-entropy's memorised flips far above GCE's (about 65–90% against 25–55%), and GCE's test accuracy on the clean labels higher on most seeds (by up to 20 points), never clearly lower.",
                                     "zh": "到第 4,500 步（约 15 秒）时每个边界下方的数字：交叉熵“记住的翻转标签”远高于 GCE（约 65%–90% 对 25%–55%）；在大多数随机种子下，GCE 在干净标签上的测试准确率更高（最多高出 20 个百分点），且从不明显更低。"},
    "preset.exp_vs_logistic.watch": {"en": "where each line stops: the logistic line runs along the edge of the class-0 blob, while the exponential loss's line cuts into the blob and some of its clean test points get red rings; under the boundaries, the logistic run's test accuracy is higher (by 2.5–7 points).",
                                     "zh": "每条分界线停在哪里：逻辑损失的分界线沿着类别 0 点团的边缘，而指数损失的分界线切进点团，其中一些干净的测试点带上红圈；在边界下方，逻辑损失实验的测试准确率更高（高 2.5–7 个百分点）。"},
    "preset.lr_too_high.watch": {"en": "press Step (or the → key) one click at a time from Reset and read the training loss in the status line: within 4–11 clicks it climbs from about 1 by many orders of magnitude (to between 1e8 and 1e33) until training pauses with a message. Once the loss has grown a thousandfold the loss chart switches to a log scale, so the climb shows as a rising line, not one spike.",
                                 "zh": "从“重置”开始，一次点一下“单步”（或按 → 键），读状态行里的训练损失：在 4–11 次点击之内，它从约 1 上升许多个数量级（达到 1e8 到 1e33 之间），直到训练暂停并给出提示。损失一旦增长到一千倍，损失曲线就改用对数刻度，这段上升便显示为一条上升的线，而不是一根尖刺。"},
    "preset.smoothing_calibration.watch": {"en": "each run's ECE (above its numbers and in the open calibration view) and the epoch in the status line: at epoch 5 label smoothing's ECE is several times cross-entropy's, its bars above the diagonal; play on to epoch 40 and on Fashion-MNIST cross-entropy's bars sink below the diagonal as its ECE passes smoothing's, while on MNIST it stays the lower.",
                                           "zh": "每个实验的 ECE（在其数字上方以及展开的校准视图中）和状态行中的轮数：第 5 轮时标签平滑的 ECE 是交叉熵的好几倍，它的柱子高出对角线；继续播放到第 40 轮，在 Fashion-MNIST 上交叉熵的柱子沉到对角线以下、它的 ECE 超过标签平滑，而在 MNIST 上交叉熵的 ECE 仍然更低。"},
    "preset.l2_vs_adamw.watch": {"en": "‖w‖ under each boundary: with L2 in the loss it stays near its start (4.6 on the lesson's seed), while AdamW's grows to about three times that within 900 steps (15 seconds); the boundaries and test losses drift apart too.",
                                 "zh": "每个边界下方的 ‖w‖：损失中加 L2 时它停留在起始值附近（本课的随机种子下为 4.6），而 AdamW 的在 900 步（15 秒）内增长到约三倍；两个边界和测试损失也随之分开。"},
    "preset.relu_pieces.watch": {"en": "the six thin coloured lines, one per unit: the boundary around the inner circle is straight between them and turns a corner only where it crosses one.",
                                 "zh": "六条彩色细线，每个单元一条：内圈周围的分界线在它们之间是直的，只在穿过其中一条时才拐角。"},
    "preset.hidden_space.watch": {"en": "the hidden space beside the boundary: press :material/fast_forward:×10 a few times first: the ring is bent away from the disc (steps 30–120); then ▶ Play: the boundary closes around the inner circle and the two classes end on either side of one straight line (tanh squeezes them into two clusters).",
                                  "zh": "边界旁的隐藏空间：先按几次 :material/fast_forward:×10：外环被从内圆旁弯开（第 30–120 步）；然后 ▶ 播放：决策边界合拢、包住内圈，两类点最终分别位于一条直线的两侧（tanh 把它们压成两团）。"},
    "preset.feature_circle.watch": {"en": "the boundary closing into a circle around the inner ring, and its equation under the status line: a·x₁² + b·x₂² − c = 0 with a ≈ b, a straight line in (x₁², x₂²) and a circle in the plane.",
                                    "zh": "决策边界合拢成一个围住内环的圆，以及状态行下方的方程：a·x₁² + b·x₂² − c = 0 且 a ≈ b，它在 (x₁², x₂²) 中是一条直线，在平面上是一个圆。"},
    "preset.l1_sparsity.watch": {"en": "the boundary's equation under the status line: one by one the weights of x₁, x₂, x₁x₂, sin x₁ and sin x₂ drop to exactly 0 and stay there, while x₁² and x₂² keep theirs; set “Apply λ as” to L2 in the loss and they come back as small non-zero numbers.",
                                 "zh": "状态行下方的边界方程：x₁、x₂、x₁x₂、sin x₁ 和 sin x₂ 的权重一个个精确地降到 0 并保持不变，而 x₁² 和 x₂² 的权重保留；把“λ 的作用方式”改为损失中的 L2，它们又会变成很小的非零数。"},
    "preset.logistic_line.watch": {"en": "the black line turning and shifting until it separates admitted from rejected students.",
                                   "zh": "黑色直线不断转动、平移，直到把录取与未录取的学生分开。"},
    "step.ten": {"en": "×10", "zh": "×10"},
    "step.one_help": {"en": "Exactly one optimizer step (one mini-batch), so you can follow a single update.",
                      "zh": "恰好一步优化（一个小批量），便于观察单次更新。"},
    "step.ten_help": {"en": "Ten optimizer steps.", "zh": "十步优化。"},
    # ---- curves ----
    "curves.x_steps": {"en": "x: optimizer step", "zh": "横轴：优化步数"},
    "curves.x_epochs": {"en": "x: epochs", "zh": "横轴：轮数"},
    "curves.log_on": {"en": "log scale (step 0 not shown)", "zh": "对数刻度（不显示第 0 步）"},
    "curves.log_y": {"en": "log scale", "zh": "对数刻度"},  # the loss axis, once the loss has blown up
    "curves.log_x": {"en": "Log-scale step axis", "zh": "步数轴使用对数刻度"},
    "curves.log_x_help": {"en": "Early steps get as much room as late ones; step 0 is left out.",
                          "zh": "前期的步数与后期占同样宽度；不显示第 0 步。"},
    "curves.event": {"en": "{n} {what} {old} → {new} (step {step})", "zh": "{n} {what} {old} → {new}（第 {step} 步）"},
    "curves.event.lr": {"en": "learning rate", "zh": "学习率"},
    "curves.event.loss": {"en": "loss", "zh": "损失函数"},
    "curves.event.optimizer": {"en": "optimizer", "zh": "优化器"},
    "curves.event.rloss": {"en": "loss", "zh": "损失函数"},
    "curves.event.rloss_param": {"en": "loss parameters", "zh": "损失参数"},
    "curves.event.solved": {"en": "fitting", "zh": "拟合方式"},
    "reg.method.gd": {"en": "gradient descent", "zh": "梯度下降"},
    "reg.method.lstsq": {"en": "least squares, solved exactly", "zh": "最小二乘精确求解"},
    "curves.event_title": {"en": "setting changed", "zh": "设置已更改"},
    # ---- lesson promises on screen: unit lines, ‖w‖, calibration ----
    "p2d.unit_lines": {"en": "Draw each first-layer unit's line", "zh": "画出第一层每个单元的直线"},
    "p2d.regions_features": {"en": "Unit lines and linear regions are for the inputs x₁, x₂ only: with other features "
                                   "(x₁², sin x₁, …) a unit switches on along a curve and the regions are no longer "
                                   "pieces of a plane cut by lines.",
                             "zh": "单元直线和线性区域只适用于输入 x₁、x₂：使用其他特征（x₁²、sin x₁ 等）时，单元沿曲线开启，"
                                   "区域也不再是被直线切开的平面块。"},
    "p2d.regions": {"en": "Outline the linear regions", "zh": "勾出线性区域的边界"},
    "p2d.regions_help": {"en": "Each distinct on/off pattern of all hidden ReLU units is one region; inside it the "
                               "network is one linear classifier. Thin lines mark where regions meet, over the class shading.",
                         "zh": "所有隐藏 ReLU 单元的每一种开/关模式对应一个区域；在区域内网络就是一个线性分类器。"
                               "细线标出区域之间的边界，叠加在类别着色之上。"},
    "p2d.regions_count": {"en": "Linear regions in view: at least {count}, the ones the picture's grid hits (among the "
                                "training points: {among}).",
                          "zh": "视野内的线性区域：至少 {count} 个，即画面网格覆盖到的区域（训练点所在的不同区域：{among} 个）。"},
    "p2d.regions_bound": {"en": "One hidden layer of {n} units on 2 inputs makes at most 1 + n + n(n−1)/2 = {bound}.",
                          "zh": "2 个输入、一层 {n} 个单元的隐藏层最多产生 1 + n + n(n−1)/2 = {bound} 个区域。"},
    "p2d.unit_lines_help": {"en": "Thin lines, one colour per unit: unit i's line w·x + b = 0, where a ReLU unit switches on (off on one side, growing linearly on the other). For deeper nets, the first layer's units.",
                            "zh": "细线，每个单元一种颜色：第 i 个单元的直线 w·x + b = 0，ReLU 单元在此处开启（一侧为零，另一侧线性增长）。更深的网络只画第一层的单元。"},
    "cmp.wnorm": {"en": "‖w‖ {norm} (all weights, biases excluded) · ECE {ece}",
                  "zh": "‖w‖ {norm}（全部权重，不含偏置）· ECE {ece}"},
    "cmp.col.wnorm": {"en": "‖w‖ (weights, no biases)", "zh": "‖w‖（权重，不含偏置）"},
    "cmp.col.ece": {"en": "test ECE", "zh": "测试集 ECE"},
    "cmp.wnorm_curve": {"en": "Weight size ‖w‖ over the steps (all weights, biases excluded)",
                        "zh": "权重大小 ‖w‖ 随步数的变化（全部权重，不含偏置）"},
    "cmp.calibration": {"en": "Calibration: reliability diagram and ECE of each run (test set)",
                        "zh": "校准：每个实验的可靠性图与 ECE（测试集）"},
    "cmp.calibration_note": {"en": "Bars: the accuracy of the test predictions grouped by their confidence; the dashed diagonal is perfect calibration, and bars below it mean over-confidence. ECE is the gap between bar and diagonal, averaged over the predictions (lower is better).",
                             "zh": "柱：按置信度分组的测试预测的准确率；虚线对角线表示完美校准，柱低于对角线表示过度自信。ECE 是柱与对角线之间的差距按预测数加权的平均（越低越好）。"},
    "cmp.ece": {"en": "ECE {ece}", "zh": "ECE {ece}"},
    # ---- the view: presentation mode, hidden controls, keyboard (ui/view.py) ----
    "view.present": {"en": "Presentation", "zh": "演示模式"},
    "view.present_help": {"en": "For a projector: hides the sidebar and enlarges the text. The address bar keeps it (present=1), "
                                "and hide=lr,loss in a link hides chosen controls. Keyboard: space plays or pauses, → steps once.",
                          "zh": "用于投影：隐藏侧边栏并放大文字。地址栏会保留此设置（present=1）；链接中的 hide=lr,loss 可隐藏指定控件。"
                                "键盘：空格键播放或暂停，→ 单步。"},
    "warn.view.hide_unknown": {"en": "The link asks to hide “{value}”, which is not a control of this page; it is ignored.",
                               "zh": "链接要求隐藏“{value}”，但本页没有这个控件，已忽略。"},
    # ---- Loss lab page, sections 1-2: margin and proper scoring (pages/5_loss_lab.py, ui/lab_margin.py) ----
    "nav.regression": {"en": "Regression", "zh": "回归"},
    "home.page.regression": {"en": "Fit a curve live with MSE, MAE, Huber, log-cosh or pinball losses; outliers as "
                                   "the regression's label noise; a quantile band.",
                             "zh": "用 MSE、MAE、Huber、log-cosh 或分位数（pinball）损失实时拟合曲线；离群点是回归的"
                                   "标签噪声；分位数带。"},
    "reg.title": {"en": "Regression: losses for numbers", "zh": "回归：预测数值的损失函数"},
    "reg.intro": {"en": "Pick a loss and watch the fitted curve, the residuals and the loss curves move. Add outliers "
                        "(gross errors in some training targets) and compare how MSE, MAE and Huber react; change the "
                        "loss while playing.",
                  "zh": "选择一个损失函数，观察拟合曲线、残差和损失曲线的变化。加入离群点（部分训练目标的严重错误），"
                        "比较 MSE、MAE 和 Huber 的反应；播放时也可以更换损失函数。"},
    # the fit's legend, one entry per thing drawn (core/regression_frames.legend_keys)
    "reg.legend.train": {"en": "● train", "zh": "● 训练"},
    "reg.legend.test": {"en": "● test (orange)", "zh": "● 测试（橙色）"},
    "reg.legend.outlier": {"en": "◯ outlier", "zh": "◯ 离群点"},
    "reg.legend.fit": {"en": "— fit (red)", "zh": "— 拟合（红色）"},
    "reg.legend.truth": {"en": "- - truth (the data's median)", "zh": "- - 真实值（数据的中位数）"},
    "reg.legend.band": {"en": "— quantile band (green)", "zh": "— 分位数带（绿色）"},
    "reg.status": {"en": "Step {step} · epoch {epoch} · train loss {train} · test loss {test} · learning rate {lr}",
                   "zh": "第 {step} 步 · 第 {epoch} 轮 · 训练损失 {train} · 测试损失 {test} · 学习率 {lr}"},
    "reg.status_no_loss": {"en": "Step {step} · epoch {epoch} · no finite loss · learning rate {lr}",
                           "zh": "第 {step} 步 · 第 {epoch} 轮 · 损失不是有限值 · 学习率 {lr}"},
    "reg.diverged_start_degree": {
        "en": "The loss is already NaN or infinite at step 0, before any training: on these points a polynomial of "
              "degree {degree} overflows (an x far from the others, raised to that power). Lower the degree, or "
              "the learning rate, or choose another model.",
        "zh": "在第 0 步、尚未训练时损失就已是 NaN 或无穷大：在这些点上，{degree} 次多项式会溢出（某个远离其他点的 x "
              "被升到该次幂）。请降低次数或学习率，或换用其他模型。"},
    "reg.diverged_start": {
        "en": "The loss is already NaN or infinite at step 0, before any training: this model's outputs overflow "
              "on these points. Lower the learning rate, or choose another model or other data.",
        "zh": "在第 0 步、尚未训练时损失就已是 NaN 或无穷大：该模型在这些点上的输出溢出。请降低学习率，或换用其他模型或数据。"},
    "reg.coverage": {"en": "Quantile band: {share} of the test points lie between the {lo} and {hi} quantile curves "
                           "(nominal {nominal}).",
                     "zh": "分位数带：{share} 的测试点落在 {lo} 与 {hi} 分位数曲线之间（名义值 {nominal}）。"},
    "reg.residual_axis": {"en": "residual r = ŷ − y", "zh": "残差 r = ŷ − y"},
    # the residual chart's caption, sentence by sentence (core/regression_frames.residual_note)
    "reg.residual_note.points": {"en": "Residuals of the training points: above 0 the fit is too high, below 0 too low.",
                                 "zh": "训练点的残差：在 0 以上表示拟合偏高，在 0 以下表示偏低。"},
    "reg.residual_note.outliers": {"en": "Ringed: the {n} outliers.", "zh": "加圈的是 {n} 个离群点。"},
    "reg.residual_note.mse": {"en": "MSE squares them, so the big ones pull hardest; MAE would weigh every point the same.",
                              "zh": "MSE 对残差平方，所以大的残差拉得最狠；换成 MAE 则每个点一视同仁。"},
    "reg.residual_note.mae": {"en": "MAE weighs every point the same: each pulls by the sign of its residual, however big.",
                              "zh": "MAE 对每个点一视同仁：无论残差多大，每个点只按残差的正负拉动。"},
    "reg.residual_note.huber": {"en": "Huber squares the residuals up to δ = {delta} and weighs bigger ones the same, as MAE does.",
                                "zh": "Huber 对不超过 δ = {delta} 的残差取平方，更大的残差则像 MAE 一样同等对待。"},
    "reg.residual_note.log_cosh": {"en": "Log-cosh acts like MSE on small residuals and like MAE on big ones.",
                                   "zh": "log-cosh 对小残差像 MSE，对大残差像 MAE。"},
    "reg.residual_note.quantile": {"en": "The best fit for τ = {tau} leaves about {below} of the points below it (r > 0) "
                                         "and {above} above it.",
                                   "zh": "τ = {tau} 时，最佳拟合让约 {below} 的点在它下方（r > 0），{above} 在上方。"},
    "reg.asymmetric_tau": {"en": "Under-predicting costs a = {a} per unit, over-predicting b = {b}: the same as the "
                                 "pinball loss with τ = a/(a + b) = {tau}, times a + b; the best constant is the "
                                 "τ-quantile.",
                           "zh": "预测偏低每单位代价 a = {a}，偏高 b = {b}：等于 τ = a/(a + b) = {tau} 的分位数损失乘以 "
                                 "a + b；最优常数是 τ 分位数。"},
    "reg.leak_on": {"en": "Leakage is on: the test points are also trained on, so the test loss no longer measures "
                          "anything new.",
                    "zh": "数据泄漏已开启：测试点也被用于训练，所以测试损失不再衡量任何新东西。"},
    "reg.upload": {"en": "CSV of (x, y)", "zh": "(x, y) 的 CSV 文件"},
    "reg.upload_help": {"en": "Two numeric columns, x and y; a header row is optional.",
                        "zh": "两列数字 x 和 y；表头可有可无。"},
    "reg.upload_needed": {"en": "Upload a CSV of (x, y) points in the sidebar.", "zh": "请在侧边栏上传 (x, y) 点的 CSV 文件。"},
    "reg.cannot_build": {"en": "These settings cannot build a run; change them.", "zh": "这些设置无法建立训练；请修改。"},
    "reg.solve": {"en": "Solve exactly (least squares)", "zh": "精确求解（最小二乘）"},
    "reg.solve_help": {"en": "Jump to the exact MSE minimiser on the training points (for linear, polynomial and "
                             "constant models): where gradient descent on MSE is heading; a degree-15 polynomial "
                             "takes gradient descent ages to get there.",
                       "zh": "直接跳到训练点上 MSE 的精确最小值（适用于线性、多项式和常数模型）：梯度下降在 MSE 上"
                             "的方向终点；15 次多项式用梯度下降要很久才能到达。"},
    "reg.solved": {"en": "Solved exactly: training loss {train:.4g}, test loss {test:.4g}.",
                   "zh": "已精确求解：训练损失 {train:.4g}，测试损失 {test:.4g}。"},
    "reg.zero_section": {"en": "Loss = 0 is not good news: over-fitting and leakage",
                         "zh": "损失为 0 并不是好消息：过拟合与数据泄漏"},
    "reg.zero_overfit": {"en": "Over-fitting: a degree-{degree} polynomial has {coefficients} coefficients, more than "
                               "its {train} training points, so it can pass through every one of them and its training "
                               "loss is about 0. Between and beyond them it swings wildly, and the test loss (points it "
                               "never saw) shows it.",
                         "zh": "过拟合：{degree} 次多项式有 {coefficients} 个系数，比它的 {train} 个训练点还多，所以它可以"
                               "穿过每一个训练点，训练损失约为 0。但在点与点之间和之外它剧烈摆动，测试损失（它从未见过的点）"
                               "暴露了这一点。"},
    "reg.zero_leak": {"en": "Leakage: if the test points are also trained on, the test loss is as small as the "
                            "training loss and measures nothing new. A test set is only a yardstick while the model "
                            "has never seen it.",
                      "zh": "数据泄漏：如果测试点也参与了训练，测试损失就和训练损失一样小，不再衡量任何新东西。只有"
                            "模型从未见过测试集时，它才是一把尺子。"},
    "reg.zero_try": {"en": "Try it: the lesson “{lesson}” (model polynomial, degree {degree}, {points} points, test "
                           "share {test}: {train} training points), then Solve exactly; switch the leak on and solve again.",
                     "zh": "试一试：课程“{lesson}”（模型选多项式、{degree} 次、{points} 个点、测试比例 {test}：{train} 个"
                           "训练点），然后精确求解；再打开泄漏并重新求解。"},
    "rw.noise": {"en": "Noise", "zh": "噪声"},
    "rw.noise_help": {"en": "The spread of y around the truth, in y units (demand: the spread of its logarithm).",
                      "zh": "y 围绕真实值的离散程度，以 y 为单位（需求数据：其对数的离散程度）。"},
    "rw.df": {"en": "Degrees of freedom (Student t)", "zh": "自由度（Student t）"},
    "rw.df_help": {"en": "Smaller means heavier tails: 1 is the Cauchy distribution, 30 is almost normal.",
                   "zh": "越小尾部越重：1 是柯西分布，30 几乎是正态分布。"},
    "rw.leak": {"en": "Leak the test points into training", "zh": "把测试点泄漏进训练"},
    "rw.leak_help": {"en": "Data leakage: the model also trains on the test points, so the test loss looks perfect "
                           "too and says nothing about new data.",
                     "zh": "数据泄漏：模型也在测试点上训练，所以测试损失也会很好看，但对新数据毫无意义。"},
    "rw.section.outliers": {"en": "Outliers", "zh": "离群点"},
    "rw.outlier_fraction": {"en": "Share of training targets replaced by gross errors",
                            "zh": "被严重错误替换的训练目标比例"},
    "rw.outlier_fraction_help": {"en": "The regression's label noise: exactly this share of the training points get a "
                                       "gross error; the test set stays clean.",
                                 "zh": "回归中的标签噪声：恰好这一比例的训练点被加上严重错误；测试集保持干净。"},
    "rw.outlier_size": {"en": "Outlier size (standard deviations of y)", "zh": "离群点大小（y 的标准差）"},
    "rw.outlier_size_help": {"en": "Each outlier moves by about this many standard deviations of the clean targets.",
                             "zh": "每个离群点大约偏移这么多个干净目标的标准差。"},
    "rw.outlier_side": {"en": "Outliers lie", "zh": "离群点方向"},
    "rw.band": {"en": "Quantile band (0.1, 0.5, 0.9)", "zh": "分位数带（0.1、0.5、0.9）"},
    "rw.band_help": {"en": "Train three more models with the pinball loss at τ = 0.1, 0.5 and 0.9 on the same data and "
                           "draw them as a band; the page counts the test points inside it.",
                     "zh": "在同一数据上再用 τ = 0.1、0.5、0.9 的分位数损失训练三个模型并画成带状；页面统计落在带内的测试点。"},
    "nav.lab": {"en": "Loss lab", "zh": "损失函数实验室"},
    "home.page.lab": {"en": "The shape of every loss: loss and gradient against the margin, proper scoring, Fisher consistency, worked examples.",
                      "zh": "每个损失函数的形状：损失与梯度随间隔的变化、严格适当评分、Fisher 一致性、计算示例。"},
    "lab.title": {"en": "Loss lab", "zh": "损失函数实验室"},
    "lab.intro": {"en": "Every curve here is computed by the same loss functions that train the models on the other pages.",
                  "zh": "这里的每条曲线都由其他页面训练模型所用的同一批损失函数计算得出。"},
    "lab.tab.margin": {"en": "Loss vs margin", "zh": "损失与间隔"},
    "lab.tab.score": {"en": "Proper scoring", "zh": "适当评分"},
    "lab.margin.binary": {"en": "Binary: loss and pull against the margin m = ỹ·z",
                          "zh": "二分类：损失与拉力随间隔 m = ỹ·z 的变化"},
    "lab.margin.losses": {"en": "Losses", "zh": "损失函数"},
    "lab.margin.none": {"en": "Choose at least one loss to draw.", "zh": "请至少选择一个损失函数来绘图。"},
    "lab.margin.low": {"en": "Margin from", "zh": "间隔起点"},
    "lab.margin.high": {"en": "Margin to", "zh": "间隔终点"},
    "lab.margin.loss_chart": {"en": "Loss ℓ(m)", "zh": "损失 ℓ(m)"},
    "lab.margin.pull_chart": {"en": "Pull −dℓ/dm (how hard a point at margin m pulls the boundary)",
                              "zh": "拉力 −dℓ/dm（间隔为 m 的点对决策边界的拉动强度）"},
    "lab.margin.axis_m": {"en": "margin m = ỹ·z", "zh": "间隔 m = ỹ·z"},
    "lab.margin.axis_loss": {"en": "loss ℓ(m)", "zh": "损失 ℓ(m)"},
    "lab.margin.axis_loss_py": {"en": "loss ℓ", "zh": "损失 ℓ"},
    "lab.margin.axis_pull": {"en": "−dℓ/dm", "zh": "−dℓ/dm"},
    "lab.margin.legend": {"en": "loss", "zh": "损失函数"},
    "lab.margin.zero_one": {"en": "0-1 loss", "zh": "0-1 损失"},
    "lab.margin.clip_note": {"en": "The y axis stops at {top}; hover a curve for its value.",
                             "zh": "纵轴在 {top} 处截断；将鼠标悬停在曲线上可查看数值。"},
    "lab.margin.multi": {"en": "Multiclass: loss and gradient weight against the true-class probability p_y",
                         "zh": "多分类：损失与梯度权重随真实类别概率 p_y 的变化"},
    "lab.margin.classes": {"en": "Classes K", "zh": "类别数 K"},
    "lab.margin.multi_note": {"en": "The other K − 1 classes share 1 − p_y equally. Weight: the loss's gradient on the true class's score divided by cross-entropy's (p_y − 1); for GCE it is exactly p_y^q, so points the model finds unlikely (often flipped labels) barely pull.",
                              "zh": "其余 K − 1 个类别平分 1 − p_y。权重：该损失对真实类别得分的梯度除以交叉熵的梯度 (p_y − 1)；GCE 的权重恰好是 p_y^q，因此模型认为不太可能的点（往往是被翻转的标签）几乎不产生拉力。"},
    "lab.margin.multi_loss_chart": {"en": "Loss against p_y (K = {k})", "zh": "损失随 p_y 的变化（K = {k}）"},
    "lab.margin.weight_chart": {"en": "Gradient weight relative to cross-entropy (K = {k})",
                                "zh": "相对于交叉熵的梯度权重（K = {k}）"},
    "lab.margin.axis_py": {"en": "true-class probability p_y", "zh": "真实类别概率 p_y"},
    "lab.margin.axis_weight": {"en": "weight relative to cross-entropy", "zh": "相对于交叉熵的权重"},
    "lab.margin.asymptotics": {"en": "What the curves do far out", "zh": "曲线在两端的行为"},
    "lab.margin.asym.cross_entropy": {
        "en": "As m → −∞ the loss grows linearly and its pull saturates at 1; as m → +∞ both vanish like e^(−m).",
        "zh": "当 m → −∞ 时损失线性增长，拉力饱和于 1；当 m → +∞ 时两者都像 e^(−m) 一样趋于 0。"},
    "lab.margin.asym.label_smoothing": {
        "en": "As m → −∞ it grows linearly with pull 1 − ε/2; as m → +∞ it grows again, linearly with slope ε/2 (the pull turns negative): it never rewards unbounded confidence.",
        "zh": "当 m → −∞ 时线性增长，拉力为 1 − ε/2；当 m → +∞ 时又以斜率 ε/2 线性增长（拉力变为负）：它从不奖励无限的自信。"},
    "lab.margin.asym.brier": {
        "en": "Bounded: as m → −∞ the loss tends to 1 and its pull vanishes like e^m; as m → +∞ both vanish. Badly misclassified points barely pull.",
        "zh": "有界：当 m → −∞ 时损失趋于 1，拉力像 e^m 一样消失；当 m → +∞ 时两者都趋于 0。严重误分类的点几乎不产生拉力。"},
    "lab.margin.asym.mae": {
        "en": "Bounded: the loss is σ(−m), tending to 1 as m → −∞ with its pull vanishing there; as m → +∞ both vanish. Robust to flipped labels, slow to learn.",
        "zh": "有界：损失为 σ(−m)，当 m → −∞ 时趋于 1 且拉力在该处消失；当 m → +∞ 时两者都趋于 0。对翻转标签鲁棒，但学习缓慢。"},
    "lab.margin.asym.huber": {
        "en": "Huber on the probability: bounded, with the pull vanishing at both ends like MAE's.",
        "zh": "作用在概率上的 Huber 损失：有界，拉力在两端都像平均绝对误差一样消失。"},
    "lab.margin.asym.hinge": {
        "en": "As m → −∞ it grows linearly with constant pull 1; it is exactly 0, pull included, from m = 1 on.",
        "zh": "当 m → −∞ 时线性增长，拉力恒为 1；从 m = 1 起损失和拉力都恰好为 0。"},
    "lab.margin.asym.squared_hinge": {
        "en": "As m → −∞ it grows quadratically and its pull 2(1 − m) grows linearly; exactly 0 from m = 1 on.",
        "zh": "当 m → −∞ 时二次增长，拉力 2(1 − m) 线性增长；从 m = 1 起恰好为 0。"},
    "lab.margin.asym.exponential": {
        "en": "As m → −∞ the loss and its pull both grow like e^(−m): a few badly misclassified (or mislabelled) points dominate. As m → +∞ both vanish.",
        "zh": "当 m → −∞ 时损失和拉力都像 e^(−m) 一样增长：少数严重误分类（或标错）的点会占据主导。当 m → +∞ 时两者都趋于 0。"},
    "lab.margin.asym.gce": {
        "en": "Bounded by 1/q: as m → −∞ its pull vanishes (weight σ(m)^q), so flipped labels fade; as m → +∞ both vanish. At q → 0 it becomes cross-entropy, at q = 1 MAE.",
        "zh": "上界为 1/q：当 m → −∞ 时拉力消失（权重 σ(m)^q），因此翻转的标签逐渐失去影响；当 m → +∞ 时两者都趋于 0。q → 0 时变为交叉熵，q = 1 时变为平均绝对误差。"},
    "lab.margin.asym.focal": {
        "en": "As m → −∞ it behaves like cross-entropy (linear, pull → 1); as m → +∞ it vanishes much faster, like e^(−(1+γ)m): well-classified points are down-weighted.",
        "zh": "当 m → −∞ 时与交叉熵相同（线性增长，拉力 → 1）；当 m → +∞ 时以 e^(−(1+γ)m) 的速度更快地消失：分类正确的点被降低权重。"},
    "lab.score.intro": {"en": "A binary event happens with true probability p. A forecaster announces q and pays ℓ(q, 1) if it happens, ℓ(q, 0) if not; on average E\\[ℓ\\](q) = p·ℓ(q, 1) + (1 − p)·ℓ(q, 0). A loss is strictly proper when this is smallest at q = p only: it pays to be honest.",
                        "zh": "一个二元事件以真实概率 p 发生。预测者给出 q：事件发生时付出 ℓ(q, 1)，不发生时付出 ℓ(q, 0)；平均为 E\\[ℓ\\](q) = p·ℓ(q, 1) + (1 − p)·ℓ(q, 0)。若它只在 q = p 处最小，该损失就是严格适当的：诚实才划算。"},
    "lab.score.p": {"en": "True probability p", "zh": "真实概率 p"},
    "lab.score.q": {"en": "Predicted probability q", "zh": "预测概率 q"},
    "lab.score.chart": {"en": "Expected loss E[ℓ](q) at p = {p}", "zh": "p = {p} 时的期望损失 E[ℓ](q)"},
    "lab.score.axis_q": {"en": "predicted probability q", "zh": "预测概率 q"},
    "lab.score.axis_expected": {"en": "expected loss E[ℓ]", "zh": "期望损失 E[ℓ]"},
    "lab.score.minimiser": {"en": "minimiser", "zh": "最小值点"},
    "lab.score.col.loss": {"en": "Loss", "zh": "损失函数"},
    "lab.score.col.minimiser": {"en": "minimised at q", "zh": "最小值点 q"},
    "lab.score.col.minimum": {"en": "smallest E[ℓ]", "zh": "最小 E[ℓ]"},
    "lab.score.col.at_q": {"en": "E[ℓ] at your q", "zh": "你的 q 处的 E[ℓ]"},
    "lab.score.verdict": {"en": "Cross-entropy and the Brier score are smallest at q = p (strictly proper: honest probabilities). MAE is linear in q, so it is smallest at q = 0 or 1: it rewards over-confidence.",
                          "zh": "交叉熵和 Brier 分数在 q = p 处最小（严格适当：给出诚实的概率）。平均绝对误差关于 q 是线性的，因此在 q = 0 或 1 处最小：它奖励过度自信。"},
    "lab.score.brier": {"en": "Brier at q = {q}: E[(q − y)²] = (q − p)² + p(1 − p) = {calibration} + {uncertainty} = {expected}",
                        "zh": "q = {q} 处的 Brier 分数：E[(q − y)²] = (q − p)² + p(1 − p) = {calibration} + {uncertainty} = {expected}"},
    "lab.score.brier_note": {"en": "(q − p)² is what a forecaster can fix (calibration); p(1 − p) is the event's own uncertainty, which no forecast removes.",
                             "zh": "(q − p)² 是预测者可以改进的部分（校准）；p(1 − p) 是事件本身的不确定性，任何预测都无法消除。"},
    "lab.score.convention": {"en": "Computed by the registry's binary losses at the logit z = log(q/(1 − q)): its Brier score is (q − y)² (the two-class sum would be twice that) and its MAE is |q − y|. The grid steps by {step}; q = 0 and 1 are left out (infinite logits).",
                             "zh": "由注册表中的二分类损失在 logit z = log(q/(1 − q)) 处计算：其中 Brier 分数为 (q − y)²（两类求和的形式是它的两倍），平均绝对误差为 |q − y|。网格步长为 {step}；q = 0 和 1 不在其中（logit 为无穷）。"},
    "lab.score.losses": {"en": "Losses to score", "zh": "参与评分的损失函数"},
    "lab.score.col.honest": {"en": "smallest at q = p?", "zh": "在 q = p 处最小？"},
    "lab.score.honest.yes": {"en": "yes", "zh": "是"},
    "lab.score.honest.no": {"en": "no", "zh": "否"},
    "lab.score.params_note": {"en": "A loss's parameters (ε, δ, q, γ) are those of its slider in the first tab, or the defaults while that loss is not chosen there.",
                              "zh": "损失函数的参数（ε、δ、q、γ）取自第一个标签页中对应的滑块；若该损失未在那里选中，则使用默认值。"},
    # ---- end of Loss lab sections 1-2 ----
    # ---- Loss lab sections 3-4: Fisher consistency and worked examples (ui/lab_fisher.py, ui/lab_examples.py) ----
    "lab.fisher.title": {"en": "Fisher consistency (K = 3)", "zh": "Fisher 一致性（K = 3）"},
    "lab.ex.title": {"en": "Worked examples", "zh": "计算示例"},
    "loss.ova_hinge.name": {"en": "One-vs-all hinge", "zh": "一对多合页损失"},
    "loss.ova_hinge.desc": {
        "en": "One binary hinge per class (true class +1, others −1), summed; multiclass only. Not Fisher-consistent: see the Loss lab.",
        "zh": "每个类别一个二分类合页损失（真实类别 +1，其余 −1）之和；仅用于多分类。不满足 Fisher 一致性：见损失函数实验室。",
    },
    "lbl.loss.ova_hinge": {"en": "one-vs-all hinge", "zh": "一对多合页损失"},
    "err.loss.multiclass_only": {
        "en": "The one-vs-all hinge loss needs 3 or more classes; this data set has 2. Choose another loss or a data set with more classes.",
        "zh": "一对多合页损失需要 3 个或更多类别；此数据集只有 2 个类别。请换一个损失函数，或选择类别更多的数据集。",
    },
    "lab.fisher.intro": {
        "en": "Suppose a point's class is 1, 2 or 3 with probabilities p = (p1, p2, p3). The best scores f* = (f1, f2, f3) for a loss ℓ minimise the expected loss Σᵢ pᵢ·ℓ(f, i). The loss is **Fisher-consistent** when f* always ranks the most likely class first (the Bayes-optimal decision): then with enough data it learns the right classifier.",
        "zh": "设某个点属于类别 1、2、3 的概率为 p = (p1, p2, p3)。对损失 ℓ 而言，最优得分 f* = (f1, f2, f3) 使期望损失 Σᵢ pᵢ·ℓ(f, i) 最小。若 f* 总是把最可能的类别排在第一（贝叶斯最优决策），则称该损失**满足 Fisher 一致性**：数据足够多时它能学到正确的分类器。"},
    "lab.fisher.p": {"en": "p{k}", "zh": "p{k}"},
    "lab.fisher.preset": {"en": "Load p = (0.4, 0.3, 0.3)", "zh": "载入 p = (0.4, 0.3, 0.3)"},
    "lab.fisher.preset_help": {"en": "No class above 1/2: the one-vs-all hinge's best scores tie all three classes.",
                               "zh": "没有类别的概率超过 1/2：一对多合页损失的最优得分让三个类别打成平手。"},
    "lab.fisher.normalised": {"en": "The three numbers are divided by their sum (they need not add up to 1): p = ({p}).",
                              "zh": "三个数会除以它们的和（不必加起来等于 1）：p = ({p})。"},
    "lab.fisher.col.loss": {"en": "Loss", "zh": "损失函数"},
    "lab.fisher.col.argmax_f": {"en": "argmax f*", "zh": "argmax f*"},
    "lab.fisher.col.argmax_p": {"en": "argmax p", "zh": "argmax p"},
    "lab.fisher.col.verdict": {"en": "Decision", "zh": "决策"},
    "lab.fisher.verdict.bayes": {"en": "Bayes-optimal ✓", "zh": "贝叶斯最优 ✓"},
    "lab.fisher.verdict.tie": {"en": "tie: cannot pick the most likely class ✗", "zh": "平手：无法选出最可能的类别 ✗"},
    "lab.fisher.verdict.wrong": {"en": "picks a less likely class ✗", "zh": "选中了可能性较小的类别 ✗"},
    "lab.fisher.how": {
        "en": "f* found by {steps} steps of (sub)gradient descent from f = (0, 0, 0) with a shrinking step, on the registry's own loss functions. Scores within 0.001 of the largest count as a tie. Cross-entropy, Brier and Weston–Watkins only see differences of scores: their f* is one of many, all shifted by a constant.",
        "zh": "f* 由从 f = (0, 0, 0) 出发、步长逐渐减小的 {steps} 步（次）梯度下降求得，使用的是训练所用的同一批损失函数。与最大得分相差不超过 0.001 的得分视为平手。交叉熵、Brier 分数和 Weston–Watkins 只看得分之差：它们的 f* 加上任意常数仍是最优解。"},
    "lab.fisher.zero_note": {
        "en": "A class with p = 0: cross-entropy and Brier push its score towards −∞ without end; the table shows where the steps stopped.",
        "zh": "有类别的 p = 0：交叉熵和 Brier 分数会把它的得分不断推向 −∞；表中显示的是迭代停止时的位置。"},
    "lab.fisher.loss": {"en": "Loss shown in the chart", "zh": "图中显示的损失函数"},
    "lab.fisher.summary": {"en": "**{loss}**: f* = ({f}); argmax f* = {top_f}, argmax p = {top_p}: {verdict}",
                           "zh": "**{loss}**：f* = ({f})；argmax f* = {top_f}，argmax p = {top_p}：{verdict}"},
    "lab.fisher.series.score": {"en": "best score f*", "zh": "最优得分 f*"},
    "lab.fisher.series.log_p": {"en": "log p − mean log p", "zh": "log p − log p 的均值"},
    "lab.fisher.class": {"en": "class {k}", "zh": "类别 {k}"},
    "lab.fisher.axis_class": {"en": "class", "zh": "类别"},
    "lab.fisher.axis_score": {"en": "score", "zh": "得分"},
    "lab.fisher.chart": {"en": "Best scores f* of {loss}, beside log p (centred)", "zh": "{loss} 的最优得分 f*，与（中心化的）log p 对比"},
    "lab.fisher.explain.cross_entropy": {
        "en": "Cross-entropy: f* = log p + constant, so softmax(f*) = p. It is Fisher-consistent and its scores are honest probabilities.",
        "zh": "交叉熵：f* = log p + 常数，因此 softmax(f*) = p。它满足 Fisher 一致性，且得分给出如实的概率。"},
    "lab.fisher.explain.brier": {
        "en": "Brier score: minimised where softmax(f*) = p, so f* = log p + constant as for cross-entropy: Fisher-consistent, with honest probabilities.",
        "zh": "Brier 分数：在 softmax(f*) = p 处取最小，因此与交叉熵一样 f* = log p + 常数：满足 Fisher 一致性，概率如实。"},
    "lab.fisher.explain.hinge": {
        "en": "Weston–Watkins hinge: f* sits on a corner of the hinges, such as (2/3, −1/3, −1/3); it says nothing about probabilities. When no class has p above 1/2 it can tie the top class with a less likely one: try p = (0.4, 0.35, 0.25), where f* = (1/3, 1/3, −2/3). Not Fisher-consistent in general.",
        "zh": "Weston–Watkins 合页损失：f* 落在合页的拐角处，例如 (2/3, −1/3, −1/3)；它不反映概率。当没有类别的 p 超过 1/2 时，它可能让最可能的类别与可能性较小的类别打成平手：试试 p = (0.4, 0.35, 0.25)，此时 f* = (1/3, 1/3, −2/3)。一般不满足 Fisher 一致性。"},
    "lab.fisher.explain.ova_hinge": {
        "en": "One-vs-all hinge: each score is a separate binary problem “class k or not”, whose best answer is +1 if p_k > 1/2 and −1 otherwise. When no class has p above 1/2 every score is −1: a three-way tie that cannot pick the most likely class. Not Fisher-consistent.",
        "zh": "一对多合页损失：每个得分是一个单独的二分类问题“是否为类别 k”，其最优解在 p_k > 1/2 时为 +1，否则为 −1。当没有类别的 p 超过 1/2 时所有得分都是 −1：三方平手，无法选出最可能的类别。不满足 Fisher 一致性。"},
    "lab.ex.intro": {"en": "Two small calculations done step by step, one term per row. Edit any number, add or delete rows.",
                     "zh": "两个逐步完成的小计算，每行一项。可以修改任何数字，也可以添加或删除行。"},
    "lab.ex.edit_note": {"en": "Editable: click a cell to change it; the + below the table adds a row.",
                         "zh": "可编辑：点击单元格即可修改；表格下方的 + 可添加一行。"},
    "lab.ex.reg.title": {"en": "Regression: MSE and MAE", "zh": "回归：均方误差与平均绝对误差"},
    "lab.ex.reg.true": {"en": "true y", "zh": "真实值 y"},
    "lab.ex.reg.pred": {"en": "predicted ŷ", "zh": "预测值 ŷ"},
    "lab.ex.reg.error": {"en": "error ŷ − y", "zh": "误差 ŷ − y"},
    "lab.ex.reg.squared": {"en": "squared (ŷ − y)²", "zh": "平方 (ŷ − y)²"},
    "lab.ex.reg.absolute": {"en": "absolute |ŷ − y|", "zh": "绝对值 |ŷ − y|"},
    "lab.ex.reg.mse": {"en": "MSE = mean of (ŷ − y)²", "zh": "MSE = (ŷ − y)² 的均值"},
    "lab.ex.reg.half_mse": {"en": "½·MSE", "zh": "½·MSE"},
    "lab.ex.reg.mae": {"en": "MAE = mean of |ŷ − y|", "zh": "MAE = |ŷ − y| 的均值"},
    "lab.ex.reg.explain": {
        "en": "Both are means over the {n} rows. Some books define the squared loss as ½·(ŷ − y)² so that its derivative is just the error ŷ − y; it halves the number, not the minimiser. MSE punishes the largest errors most; MAE weighs every unit of error the same.",
        "zh": "两者都是对 {n} 行取均值。有些书把平方损失定义为 ½·(ŷ − y)²，使其导数恰好是误差 ŷ − y；这只把数值减半，不改变最小值点。MSE 对最大的误差惩罚最重；MAE 对每一单位误差一视同仁。"},
    "lab.ex.cls.title": {"en": "Classification: cross-entropy, and a classic mistake", "zh": "分类：交叉熵，以及一个常见错误"},
    "lab.ex.cls.p": {"en": "p(class {k})", "zh": "p(类别 {k})"},
    "lab.ex.cls.label": {"en": "label y", "zh": "标签 y"},
    "lab.ex.cls.softmax_p": {"en": "softmax(p)_y", "zh": "softmax(p)_y"},
    "lab.ex.cls.ce_wrong": {"en": "−log softmax(p)_y", "zh": "−log softmax(p)_y"},
    "lab.ex.cls.mean_ce": {"en": "Mean cross-entropy, mean of −log p_y", "zh": "平均交叉熵，−log p_y 的均值"},
    "lab.ex.cls.mistake": {"en": "F.cross_entropy(p, y): probabilities passed as logits", "zh": "F.cross_entropy(p, y)：把概率当作 logits 传入"},
    "lab.ex.cls.explain": {
        "en": "`torch.nn.functional.cross_entropy` expects **logits** and applies softmax itself. Given probabilities, it takes softmax of them: (0.2, 0.8) becomes (0.354, 0.646), so the row's loss is −log 0.646 instead of −log 0.8, and the result is wrong (and never reaches 0 even for a perfect prediction). Pass log-probabilities instead, `F.cross_entropy(torch.log(p), y)` or `F.nll_loss(torch.log(p), y)`: that gives the mean cross-entropy on the left.",
        "zh": "`torch.nn.functional.cross_entropy` 期望输入的是 **logits**，并会自己做 softmax。若传入概率，它会对概率再做一次 softmax：(0.2, 0.8) 变成 (0.354, 0.646)，于是该行损失是 −log 0.646 而不是 −log 0.8，结果是错的（即使预测完全正确也永远达不到 0）。应传入对数概率：`F.cross_entropy(torch.log(p), y)` 或 `F.nll_loss(torch.log(p), y)`，得到的就是左边的平均交叉熵。"},
    "err.lab.fisher_numbers": {"en": "p1, p2 and p3 must be {k} numbers, none negative.", "zh": "p1、p2、p3 必须是 {k} 个非负数。"},
    "err.lab.fisher_zero": {"en": "p1, p2 and p3 are all 0: at least one must be above 0.", "zh": "p1、p2、p3 都是 0：至少有一个要大于 0。"},
    "err.lab.no_rows": {"en": "The table has no rows: add at least one.", "zh": "表格没有任何行：请至少添加一行。"},
    "err.lab.too_many_rows": {"en": "The table has more than {limit} rows: delete some.", "zh": "表格超过 {limit} 行：请删除一些。"},
    "err.lab.empty_row": {"en": "Row {row} is empty: fill it in or delete it.", "zh": "第 {row} 行是空的：请填写或删除它。"},
    "err.lab.empty_cell": {"en": "Row {row} has an empty cell: fill it in.", "zh": "第 {row} 行有空单元格：请填写。"},
    "err.lab.not_a_number": {"en": "Row {row}: “{value}” is not a number.", "zh": "第 {row} 行：“{value}”不是数字。"},
    "err.lab.classes": {"en": "Each row needs the probabilities of at least 2 classes and a label.",
                        "zh": "每行至少需要 2 个类别的概率和一个标签。"},
    "err.lab.prob_range": {"en": "Row {row}: the probability {value} is outside [0, 1].", "zh": "第 {row} 行：概率 {value} 不在 [0, 1] 之内。"},
    "err.lab.prob_sum": {"en": "Row {row}: the probabilities add up to {total}, not 1.", "zh": "第 {row} 行：概率之和为 {total}，而不是 1。"},
    "err.lab.label": {"en": "Row {row}: the label {value} is not a class number 0 … {top}.",
                      "zh": "第 {row} 行：标签 {value} 不是类别编号 0 … {top}。"},
    # ---- end of Loss lab sections 3-4 ----
    # ---- who pulls the boundary (2D page toggle, pull lesson) ----
    "pull.toggle": {"en": "Show each point's pull", "zh": "显示每个点的拉力"},
    "pull.help": {"en": "Each training point is drawn with an area proportional to its pull on the boundary, |∂ℓ/∂z_i| (from the trainer's own gradient), on one scale for every loss: a pull of 1, the most a point can pull under two-class cross-entropy, gives the usual dot size; bigger discs pull harder, tiny ones hardly at all. Discs stop growing at 9 px (a pull of about 6.6): a capped disc has a thick grey edge.",
                  "zh": "每个训练点的面积与它对边界的拉力 |∂ℓ/∂z_i|（取自训练器自己的梯度）成正比，所有损失函数用同一个比例：拉力 1（二分类交叉熵下一个点的最大拉力）为通常大小；圆点越大拉力越大，很小的点几乎不拉。圆点半径最大 9 像素（拉力约 6.6）：封顶的圆点带粗灰边。"},
    "pull.legend": {"en": "disc area = the point's pull |∂ℓ/∂z|, one scale for every loss · usual dot size = pull 1 (two-class cross-entropy's most) · thick grey edge: capped, it pulls harder than drawn",
                    "zh": "圆点面积 = 该点的拉力 |∂ℓ/∂z|，所有损失同一比例 · 通常大小 = 拉力 1（二分类交叉熵的最大值）· 粗灰边：已封顶，实际拉力比画出的更大"},
    "pull.next_lesson": {"en": "Next: {title}", "zh": "下一课：{title}"},
    "preset.exp_pull.title": {"en": "Who pulls the boundary: exponential loss", "zh": "谁在拉动边界：指数损失"},
    "preset.exp_pull.text": {"en": "Under the exponential loss each training point pulls on the line with strength e^(−m), drawn here as its disc's area on one scale for every loss (the usual dot is a pull of 1), so the few flipped points on the wrong side are the big discs, about twice the usual area, and together hold almost half of the gradient. Switch the loss to cross-entropy in the sidebar and they shrink below the usual dot, since its pull |p − y| is at most 1 per point.",
                           "zh": "在指数损失下，每个训练点对直线的拉力为 e^(−m)，这里用圆点的面积表示，所有损失用同一比例（通常大小的点代表拉力 1），所以少数处在错误一侧的翻转点是大圆点，面积约为通常的两倍，合起来占据了将近一半的梯度。在侧边栏把损失函数换成交叉熵，它们就会缩小到比通常的点还小，因为交叉熵的拉力 |p − y| 每个点至多为 1。"},
    "preset.exp_pull.watch": {"en": "the ringed (flipped) points drawn as the big discs while the line sits in the class-0 blob, and shrinking below the usual dot (to under half their area) once you switch to cross-entropy; no disc is then bigger than the usual dot.",
                              "zh": "直线停在类别 0 的点团中时，带黑圈的（翻转）点画成大圆点；换成交叉熵后它们缩小到比通常的点还小（面积不到原来的一半），此时没有任何圆点比通常的点大。"},
    # ---- end of who pulls the boundary ----
    # ---- Regression page: why square? and the inventory lesson (core/lessons/regression_lessons.py, ui/regression_views.py) ----
    "why.title": {"en": "Why square?", "zh": "为什么要平方？"},
    "why.intro": {"en": "Each row is a set of errors r = ŷ − y. The share columns give each error's part of the total.",
                  "zh": "每一行是一组误差 r = ŷ − y。占比两列给出每个误差在总和中所占的份额。"},
    "why.col.example": {"en": "example", "zh": "例子"},
    "why.col.errors": {"en": "errors r", "zh": "误差 r"},
    "why.col.mean": {"en": "mean error", "zh": "平均误差"},
    "why.col.mse": {"en": "MSE = mean r²", "zh": "MSE = r² 的均值"},
    "why.col.mae": {"en": "MAE = mean |r|", "zh": "MAE = |r| 的均值"},
    "why.col.share_mse": {"en": "shares of MSE", "zh": "占 MSE 的份额"},
    "why.col.share_mae": {"en": "shares of MAE", "zh": "占 MAE 的份额"},
    "why.example.cancel": {"en": "one too high, one too low", "zh": "一个偏高，一个偏低"},
    "why.example.even": {"en": "five equal errors", "zh": "五个相等的误差"},
    "why.example.one_big": {"en": "four small, one large", "zh": "四个小的，一个大的"},
    "why.table_note": {"en": "Errors of +5 and −5 cancel in the plain mean error ({mean}), as if the fit were perfect; "
                             "squares and absolute values cannot cancel. Both lower rows have MAE {mae}, but MSE is "
                             "twice as large for the one with the large error, which alone holds {share} of it.",
                       "zh": "+5 和 −5 的误差在普通平均误差中相互抵消（{mean}），好像拟合完美无缺；平方和绝对值不会抵消。"
                             "下面两行的 MAE 都是 {mae}，但有一个大误差的那一行 MSE 是另一行的两倍，仅这一个误差就占了"
                             "其中的 {share}。"},
    "why.chart.title": {"en": "Gradient descent on a constant θ: targets {targets}, learning rate {lr}",
                        "zh": "对常数 θ 做梯度下降：目标 {targets}，学习率 {lr}"},
    "why.chart.step": {"en": "step", "zh": "步数"},
    "why.chart.legend": {"en": "loss", "zh": "损失函数"},
    "why.chart.mse": {"en": "MSE (to the mean {mean})", "zh": "MSE（趋向均值 {mean}）"},
    "why.chart.mae": {"en": "MAE (to the median {median})", "zh": "MAE（趋向中位数 {median}）"},
    "why.explain": {"en": "MSE's gradient, 2(θ − mean), shrinks as θ nears the mean {mean}, so θ slows down smoothly "
                          "and settles: each step keeps {keep} of the distance. MAE's gradient, (points below θ − "
                          "points above θ)/N, keeps its size right up to the median {median} and flips sign across "
                          "it, so θ chatters between {lo} and {hi} for ever (a range of {chatter}) unless the "
                          "learning rate shrinks.",
                    "zh": "MSE 的梯度 2(θ − 均值) 随着 θ 接近均值 {mean} 而变小，所以 θ 平滑地减速并停下：每一步保留"
                          "距离的 {keep}。MAE 的梯度（θ 以下的点数 − θ 以上的点数）/N 直到中位数 {median} 都不变小，"
                          "并在中位数两侧改变符号，所以除非学习率变小，θ 会在 {lo} 和 {hi} 之间永远来回跳动（幅度 "
                          "{chatter}）。"},
    "inv.title": {"en": "The inventory lesson: how much stock?", "zh": "库存一课：备多少货？"},
    "inv.how_to": {"en": "To start the inventory lesson, choose the model “{model}”, the data set “{dataset}” and the "
                         "loss “{loss}” with a = 4 and b = 1.",
                   "zh": "要开始库存一课，请选择模型“{model}”、数据集“{dataset}”以及 a = 4、b = 1 的损失“{loss}”。"},
    "inv.numbers": {"en": "Trained stock θ = {theta} units. The empirical {tau} quantile of the demand, the best "
                          "constant stock, is {quantile} units. Cost per day: {cost_theta} at θ, {cost_quantile} at "
                          "the quantile.",
                    "zh": "训练得到的备货量 θ = {theta} 件。需求的经验 {tau} 分位数（最优的常数备货量）是 {quantile} "
                          "件。每天的代价：θ 处 {cost_theta}，分位数处 {cost_quantile}。"},
    "inv.tau_asymmetric": {"en": "A unit short costs a = {a}, a unit left over costs b = {b}: τ = a/(a + b) = {tau}.",
                           "zh": "缺一件代价 a = {a}，剩一件代价 b = {b}：τ = a/(a + b) = {tau}。"},
    "inv.tau_pinball": {"en": "The pinball loss with τ = {tau} prices a unit short at τ and a unit left over at "
                              "1 − τ: its best stock is the τ-quantile.",
                        "zh": "τ = {tau} 的分位数损失把缺一件定价为 τ、剩一件定价为 1 − τ：它的最优备货量是 τ 分位数。"},
    "inv.not_asymmetric": {"en": "This run trains with {loss}, which does not price a unit short and a unit left "
                                 "over differently, so it does not aim at a quantile. The numbers here price the "
                                 "stock with a = {a} per unit short and b = {b} per unit over: asymmetric costs pick "
                                 "the quantile τ = a/(a + b) = {tau}. Switch the loss to the asymmetric linear cost "
                                 "to train towards it.",
                           "zh": "这次训练用的是 {loss}，它不区分缺一件和剩一件的代价，所以不以某个分位数为目标。这里的"
                                 "数字按缺一件 a = {a}、剩一件 b = {b} 计算代价：非对称代价选出分位数 τ = a/(a + b) = "
                                 "{tau}。把损失换成非对称线性代价，就会朝它训练。"},
    "inv.slope": {"en": "At θ, {above} of the {n} demand points lie above and {below} at or below. One more unit "
                        "saves a·{above} and costs b·{below}, so the slope of L is (b·{below} − a·{above})/{n} = "
                        "{slope}.",
                  "zh": "在 θ 处，{n} 个需求点中有 {above} 个在上方，{below} 个在 θ 或以下。多备一件节省 a·{above}、"
                        "花费 b·{below}，所以 L 的斜率是 (b·{below} − a·{above})/{n} = {slope}。"},
    "inv.raise": {"en": "More than b/a = {ratio} times as many points lie above θ as at or below it: raise the stock.",
                  "zh": "θ 上方的点数超过 θ 及以下点数的 b/a = {ratio} 倍：应增加备货。"},
    "inv.lower": {"en": "One unit less saves more surplus than it adds in shortage: lower the stock.",
                  "zh": "少备一件节省的剩余代价多于增加的缺货代价：应减少备货。"},
    "inv.hold": {"en": "Neither raising nor lowering θ lowers the cost: θ is a minimiser of L.",
                 "zh": "无论增加还是减少 θ 都不能降低代价：θ 是 L 的一个最小值点。"},
    "inv.chart_x": {"en": "stock θ (units)", "zh": "备货量 θ（件）"},
    "inv.chart_y": {"en": "cost per day L(θ)", "zh": "每天的代价 L(θ)"},
    "inv.legend": {"en": "— cost L(θ)  | the empirical quantile  ● the run's θ",
                   "zh": "— 代价 L(θ)  | 经验分位数  ● 本次训练的 θ"},
    # ---- end of why square? and the inventory lesson ----
}


def translate(key: str, lang: str = DEFAULT_LANGUAGE, /, **fields) -> str:
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
    another message. translate() renders it in that message's language; format()/str() in English."""

    def __init__(self, key: str, /, **fields):  # positional-only: "key" may be a field name
        self.key, self.fields = key, fields

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return translate(self.key, lang, **self.fields)

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

    def __init__(self, code: str, /, **fields):  # positional-only: "code" may be a field name
        self.code = code
        self.fields = fields
        super().__init__(translate(code, "en", **fields))

    def message(self, lang: str) -> str:
        return translate(self.code, lang, **self.fields)


# ---- numbers on screen ----

DASH = "—"  # a metric that does not apply (e.g. memorised flips without label noise)


def fmt(value, spec: str) -> str:
    """A number for the screen, or "—" where it does not apply (None or NaN)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return DASH
    return format(value, spec)


def fmt_loss(value) -> str:
    """A loss for a status line: 4 decimals, or 3 significant digits in 3.1e19 form when that would show
    a row of digits (a diverging run) or nothing but zeros; "—" where it does not apply."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return DASH
    if value != 0 and not 1e-4 <= abs(value) < 1e5:
        return f"{value:.3g}".replace("e+", "e").replace("e0", "e").replace("e-0", "e-")
    return f"{value:.4f}"


def data_number(value) -> str:
    """A number for an element's data-* attribute (read back by tests and the browser), "" for None."""
    return "" if value is None else f"{value:.9g}"
