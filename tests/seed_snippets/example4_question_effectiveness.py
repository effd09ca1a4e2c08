# Example 4: Question Effectiveness: copied unchanged from the seed (data-persistence-usage.md, "Data Analysis Examples").
import json
from collections import defaultdict

with open('backend/interview_data/answers.json', 'r') as f:
    answers = json.load(f)

# Group scores by question
question_scores = defaultdict(list)
for answer in answers:
    question_scores[answer['question']].append(answer['score'])

# Calculate average score per question
print("Question Effectiveness (sorted by avg score):")
for question, scores in sorted(
    question_scores.items(),
    key=lambda x: sum(x[1])/len(x[1]),
    reverse=True
):
    avg = sum(scores) / len(scores)
    print(f"{avg:.1f}: {question[:60]}...")
