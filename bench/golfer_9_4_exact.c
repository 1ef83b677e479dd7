/* Exhaustive search: 4-RGDD(3^12) on Z_11 x {0,1,2} + {inf0,inf1,inf2}, one base
   parallel class developed mod 11. Blocks 0..2 hold inf_k plus one point per level;
   blocks 3..8 are finite with level counts pat[b] (forced by counting pairs, up to
   renaming the levels). Level by level, every way to seat 11 residues in the blocks
   whose within-level differences are +-1..+-5 once; then every triple of such levels
   whose differences between two levels are 1..10 once (0 would seat one group twice).
   Build and run: gcc -O2 -o /tmp/exact bench/golfer_9_4_exact.c && /tmp/exact
   (about 30 s: prints the first 5 base rounds, finds 60; see bench/golfer_9_4.py). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define M 11
int pat[9][3]={{1,1,1},{1,1,1},{1,1,1},{3,0,1},{1,3,0},{0,1,3},{2,2,0},{2,0,2},{0,2,2}};
typedef struct { signed char pts[9][3]; signed char n[9]; } Cfg;
Cfg *cf[3]; int ncf[3];
int blk[M], cap[9];
static int lev;
void gen(int r){
  if(r==M){
    /* pure check */
    int used[6]={0};
    Cfg c; memset(&c,0,sizeof c);
    for(int x=0;x<M;x++){int b=blk[x];c.pts[b][c.n[b]++]=x;}
    for(int b=0;b<9;b++)for(int i=0;i<c.n[b];i++)for(int j=i+1;j<c.n[b];j++){
      int d=(c.pts[b][j]-c.pts[b][i]+M)%M; if(d>5)d=M-d; if(used[d]++) return;}
    if(ncf[lev]%100000==0) cf[lev]=realloc(cf[lev],(ncf[lev]+100000)*sizeof(Cfg));
    cf[lev][ncf[lev]++]=c; return;
  }
  for(int b=0;b<9;b++) if(cap[b]){cap[b]--;blk[r]=b;gen(r+1);cap[b]++;}
}
int compat(const Cfg*a,const Cfg*b){
  int used=1; /* bit 0 = difference 0 forbidden */
  for(int k=0;k<9;k++)for(int i=0;i<a->n[k];i++)for(int j=0;j<b->n[k];j++){
    int d=(b->pts[k][j]-a->pts[k][i]+M)%M; if(used>>d&1) return 0; used|=1<<d;}
  return 1;
}
int main(){
  for(lev=0;lev<3;lev++){for(int b=0;b<9;b++)cap[b]=pat[b][lev];gen(0);fprintf(stderr,"level %d: %d configs\n",lev,ncf[lev]);}
  long found=0, pairs=0;
  int *s02=malloc(sizeof(int)*ncf[2]);
  for(int i=0;i<ncf[0];i++){
    const Cfg*a=&cf[0][i]; if(a->pts[0][0]!=0) continue; /* translation */
    int n02=0; for(int k=0;k<ncf[2];k++) if(compat(a,&cf[2][k])) s02[n02++]=k;
    if(!n02) continue;
    for(int j=0;j<ncf[1];j++){ const Cfg*b=&cf[1][j]; if(!compat(a,b)) continue; pairs++;
      for(int t=0;t<n02;t++){ const Cfg*c=&cf[2][s02[t]]; if(!compat(b,c)) continue;
        found++;
        if(found<=5){ for(int k=0;k<9;k++){printf("[");for(int l=0;l<3;l++){const Cfg*z=l==0?a:l==1?b:c;for(int q=0;q<z->n[k];q++)printf("(%d, %d), ",z->pts[k][q],l);}printf("]\n");} printf("\n"); fflush(stdout);}
      }}
  }
  fprintf(stderr,"pairs %ld found %ld\n",pairs,found);
}
